'use strict';
// The README's main job as a newcomer meets it: waits for a node started by `./solvent node --dev` to
// serve, then drives it as a wallet would — a fresh ethers key, the dev faucet, one action signed by
// ethers against the node's own EIP-712 schema, and the account read back. Exits non-zero with the
// reason on any deviation. Usage: node dev-node.js [BASE_URL] [TIMEOUT_SECONDS]
const { Wallet } = require('ethers');

const base = process.argv[2] || 'http://127.0.0.1:8645';
const timeoutMs = Number(process.argv[3] || 120) * 1000;

function fail(msg) {
  console.error('FAIL  dev node: ' + msg);
  process.exit(1);
}

async function call(method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { fail(`${method} ${path}: answer is not JSON (${res.status}): ${text.slice(0, 200)}`); }
  return { status: res.status, json };
}

// Raw integer of one asset's balance in a subaccount answer, or 0 when it holds none.
function balanceOf(account, symbol) {
  const b = (account.balances || []).find(x => x.asset === symbol || x.symbol === symbol);
  if (!b) return 0n;
  const amount = b.amount || b.balance;
  return BigInt(amount.raw);
}

(async () => {
  const started = Date.now();
  for (;;) {
    try {
      const h = await call('GET', '/v1/health');
      if (h.status === 200 && h.json.status === 'ok') break;
    } catch { /* not listening yet */ }
    if (Date.now() - started > timeoutMs) fail(`not serving ${base}/v1/health after ${timeoutMs / 1000} s`);
    await new Promise(r => setTimeout(r, 250));
  }
  console.log(`ok    serving after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const wallet = Wallet.createRandom();
  const owner = wallet.address.toLowerCase();

  // Faucet: the node's dev key deposits 1,000 USDC into subaccount 0.
  const f = await call('POST', '/v1/dev/faucet', { owner, subaccount: 0, asset: 'USDC', amount: '1000' });
  if (f.status !== 200 || f.json.code !== 'OK') fail(`faucet answered ${f.status} ${JSON.stringify(f.json)}`);

  const schema = (await call('GET', '/v1/eip712')).json;
  const assets = (await call('GET', '/v1/assets')).json;
  const list = Array.isArray(assets) ? assets : assets.assets;
  const usdc = list.findIndex(a => a.symbol === 'USDC');
  if (usdc < 0) fail('no USDC in /v1/assets');
  const read = async () => {
    const r = await call('GET', `/v1/accounts/${owner}/0`);
    if (r.status !== 200) fail(`account read answered ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const before = balanceOf((await read()).account, 'USDC');
  const scale = 10n ** BigInt(list[usdc].quantumDecimals ?? 6);
  if (before !== 1000n * scale) fail(`after the faucet the subaccount holds ${before} raw USDC, expected ${1000n * scale}`);

  // One signed action: withdraw 250 USDC, signed by ethers with the node's domain and nonce.
  const nonce = BigInt((await call('GET', `/v1/accounts/${owner}`)).json.nextNonce);
  const message = { owner, subaccount: 0, asset: usdc, amount: (250n * scale).toString(), nonce: nonce.toString() };
  const types = { Withdraw: schema.types.Withdraw };
  const signature = await wallet.signTypedData(schema.domain, types, message);
  const wire = { ...message, subaccount: 0, asset: usdc, nonce: Number(nonce) };
  const a = await call('POST', '/v1/actions', { type: 'Withdraw', message: wire, signature }, { 'X-Solvent-Signer': owner });
  if (a.status !== 200 || a.json.code !== 'OK') fail(`signed Withdraw answered ${a.status} ${JSON.stringify(a.json)}`);

  // The acknowledgement carries the roots of its block, the same ones the block header reads back with.
  const header = (await call('GET', `/v1/blocks/${a.json.height}`)).json.header;
  if (!/^0x[0-9a-f]{64}$/.test(a.json.stateRoot || '') || a.json.stateRoot !== header.stateRoot || a.json.accountsRoot !== header.accountsRoot) {
    fail(`acknowledgement roots ${a.json.stateRoot}/${a.json.accountsRoot} differ from block ${a.json.height}'s ${header.stateRoot}/${header.accountsRoot}`);
  }
  if (!(header.firstSequence >= 1 && header.firstSequence <= a.json.sequence && a.json.sequence < header.firstSequence + header.actions)) {
    fail(`block ${a.json.height} read back says its actions are sequences ${header.firstSequence}…+${header.actions}, but holds sequence ${a.json.sequence}`);
  }

  const after = await read();
  if (after.height < a.json.height) fail(`read back at height ${after.height}, before the action's block ${a.json.height}`);
  const left = balanceOf(after.account, 'USDC');
  if (left !== 750n * scale) fail(`after withdrawing 250 the subaccount holds ${left} raw USDC, expected ${750n * scale}`);

  // The same signed bytes again are a replay and must be refused without moving funds.
  const replay = await call('POST', '/v1/actions', { type: 'Withdraw', message: wire, signature }, { 'X-Solvent-Signer': owner });
  if (replay.status !== 409) fail(`replayed Withdraw answered ${replay.status} ${JSON.stringify(replay.json)}`);
  if (balanceOf((await read()).account, 'USDC') !== 750n * scale) fail('a replayed action moved funds');

  console.log(`ok    faucet 1000 USDC, ethers-signed Withdraw 250 in block ${a.json.height}, read back 750, replay refused`);

  // A first borrow of another asset finds lenders' cash on the dev chain: 1 ETH in, 100 USDT out.
  const usdt = list.findIndex(x => x.symbol === 'USDT');
  if (usdt < 0) fail('no USDT in /v1/assets');
  const eth = await call('POST', '/v1/dev/faucet', { owner, subaccount: 0, asset: 'ETH', amount: '1' });
  if (eth.status !== 200 || eth.json.code !== 'OK') fail(`ETH faucet answered ${eth.status} ${JSON.stringify(eth.json)}`);
  const tScale = 10n ** BigInt(list[usdt].quantumDecimals ?? 6);
  const nonce2 = BigInt((await call('GET', `/v1/accounts/${owner}`)).json.nextNonce);
  const borrow = { owner, subaccount: 0, asset: usdt, amount: (100n * tScale).toString(), nonce: nonce2.toString() };
  const bsig = await wallet.signTypedData(schema.domain, { Borrow: schema.types.Borrow }, borrow);
  // Sent as a wallet holds it: the eth_signTypedData_v4 parameter, the signature and the signer.
  const typedData = {
    types: { EIP712Domain: schema.types.EIP712Domain, Borrow: schema.types.Borrow },
    primaryType: 'Borrow',
    domain: schema.domain,
    message: { ...borrow, nonce: Number(nonce2) },
  };
  const b = await call('POST', '/v1/actions', { typedData, signature: bsig, signer: owner });
  if (b.status !== 200 || b.json.code !== 'OK') fail(`a first USDT borrow answered ${b.status} ${JSON.stringify(b.json)}`);
  const owed = balanceOf((await read()).account, 'USDT');
  if (owed !== -100n * tScale) fail(`after borrowing 100 USDT the subaccount holds ${owed} raw USDT, expected ${-100n * tScale}`);
  console.log(`ok    first USDT borrow against faucet ETH in block ${b.json.height}: the pool had lenders' cash`);

  // A key with no account cannot get actions sequenced until it deposits into its own account.
  const stranger = Wallet.createRandom();
  const sOwner = stranger.address.toLowerCase();
  const sMsg = { owner: sOwner, subaccount: 0, asset: usdc, amount: '1', nonce: '0' };
  const ssig = await stranger.signTypedData(schema.domain, { Withdraw: schema.types.Withdraw }, sMsg);
  const s = await call('POST', '/v1/actions', { type: 'Withdraw', message: { ...sMsg, nonce: 0 }, signature: ssig, signer: sOwner });
  if (s.status !== 403 || s.json.error?.code !== 'UNKNOWN_SIGNER') fail(`a first action from a key without an account answered ${s.status} ${JSON.stringify(s.json)}`);
  console.log('ok    a key without an account is refused before sequencing (UNKNOWN_SIGNER)');
})().catch(e => fail(e.stack || String(e)));
