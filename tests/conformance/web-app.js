'use strict';
// The web app as a trader and a risk team use it, in Debian's headless Chromium (Playwright): the venue
// renders, its charts load after the first render, the oracle and settlement panels fill, a demo key signs a
// deposit and a borrow through the forms, the account updates live, bad input is refused before signing with
// the API's own message, the what-if slider (the node's engine) reaches liquidatable without changing the live
// state root, a position what-if answers, the risk monitor shows the account within one block of a governance
// price drop with the heatmap, the keeper's liquidation appears in the recent list, and an injected EIP-1193
// wallet signs a deposit that the node credits to the wallet's address. Screenshots go to OUT_DIR.
// Usage: node web-app.js BASE_URL OUT_DIR [CHROMIUM]
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { Wallet, keccak256, toUtf8Bytes } = require('ethers');

const [base, outDir, exe = '/usr/bin/chromium'] = process.argv.slice(2);
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); else console.log(`ok    ${what}`); };

async function json(p, init) {
  const r = await fetch(base + p, init);
  return { status: r.status, body: await r.json() };
}
const post = (p, obj, headers = {}) => json(p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(obj) });
const root = async () => (await json('/v1/health')).body.stateRoot;

async function main() {
  if (!base || !outDir) throw new Error('usage: node web-app.js BASE_URL OUT_DIR [CHROMIUM]');
  fs.mkdirSync(outDir, { recursive: true });
  for (const t0 = Date.now(); ;) {
    try { if ((await json('/v1/health')).status === 200) break; } catch { /* not yet listening */ }
    if (Date.now() - t0 > 60000) throw new Error(`${base} not serving after 60 s`);
    await new Promise(r => setTimeout(r, 200));
  }
  // Seed WEB_APP_ACCOUNTS subaccounts through the faucet so the render is timed on a populated venue.
  const seed = Number(process.env.WEB_APP_ACCOUNTS || 0);
  const t0 = Date.now();
  for (let i = 0; i < seed; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, seed - i) }, (_, j) =>
      post('/v1/dev/faucet', { owner: '0x' + (i + j + 1).toString(16).padStart(40, '0'), subaccount: 0, asset: 'USDC', amount: '100' })
        .then(r => { if (r.status !== 200) throw new Error(`faucet answered ${r.status} ${JSON.stringify(r.body)}`); })));
  }
  if (seed) console.log(`ok    seeded ${seed} accounts through the faucet in ${Date.now() - t0} ms`);
  const keys = (await json('/v1/dev/keys')).body;
  const alice = keys.find(k => k.name === 'alice');
  // Made before any page is open: the account page must still list it (the node's history, not the stream).
  const early = await post('/v1/dev/faucet', { owner: alice.address, subaccount: 0, asset: 'ETH', amount: '0.25' });
  if (early.status !== 200) throw new Error(`faucet answered ${early.status} ${JSON.stringify(early.body)}`);
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox'], timeout: 30000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    // The refused forms answer 400 by design; 404s are caught with their URL by the response listener below
    // (the browser's own favicon request for the stress report is not the app's).
    page.on('console', m => { if (m.type() === 'error' && !/status of (400|404)/.test(m.text())) problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`page error: ${e.message}`));
    // A venue without a settlement section answers /v1/settlement/chains with 404 SETTLEMENT_OFF by design.
    page.on('response', r => { if (r.status() === 404 && !r.url().endsWith('/v1/settlement/chains')) problems.push(`404: ${r.url()}`); });

    // Venue: first meaningful render timed by the page's own performance mark, for a visitor of a node that
    // has already served once (the very first request of a fresh process pays for JIT compilation).
    // Cold: the first page this browser and this node have served to anyone (the node warmed itself at start).
    await page.goto(base + '/app/', { waitUntil: 'load', timeout: 30000 });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
    const coldRender = await page.evaluate(() => performance.getEntriesByName('solvent-first-render')[0].startTime);
    console.log(`[table] web first render cold ms ${Math.round(coldRender)} (accounts ${process.env.WEB_APP_ACCOUNTS || '?'})`);
    await page.goto(base + '/app/?again', { waitUntil: 'load', timeout: 30000 });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
    const firstRender = await page.evaluate(() => performance.getEntriesByName('solvent-first-render')[0].startTime);
    const accounts = process.env.WEB_APP_ACCOUNTS || '?';
    console.log(`[table] web first render ms ${Math.round(firstRender)} (accounts ${accounts})`);
    // The target is 1 s on a quiet machine (the figure above is what docs/web-app.md records); a shared CI
    // machine several times slower gets a wider budget through WEB_APP_RENDER_BUDGET_MS.
    const budget = Number(process.env.WEB_APP_RENDER_BUDGET_MS || 1000);
    check(firstRender <= budget, `first meaningful render ${Math.round(firstRender)} ms ≤ ${budget} ms`);
    check(coldRender <= budget, `cold first meaningful render ${Math.round(coldRender)} ms ≤ ${budget} ms`);
    const pools = await page.$$eval('#pools tbody tr', r => r.map(x => x.firstChild.textContent));
    check(pools.includes('USDC') && pools.includes('ETH'), `venue lists pools (${pools.join(', ')})`);
    check((await page.$$('#markets tbody tr')).length > 0, 'venue lists perp markets');
    await page.waitForSelector('#live.on', { timeout: 15000 });
    check(true, 'stream connected');

    // Charts (ScottPlot SVG from the node) load after the first meaningful render, never before it.
    const loaded = ids => page.waitForFunction(list => list.every(id => { const i = document.getElementById(id); return i.complete && i.naturalWidth > 0; }), ids, { timeout: 15000 });
    await loaded(['chart-rate', 'chart-insurance']);
    const chartStarts = await page.evaluate(() => performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/web/charts/')).map(e => e.startTime));
    check(chartStarts.length >= 2 && Math.min(...chartStarts) >= firstRender, `rate curve and insurance charts render, requested after the first render (${chartStarts.map(Math.round).join(', ')} ms ≥ ${Math.round(firstRender)} ms)`);
    // The first heatmap of this block: snapshot, restore and scan of every subaccount (seeded ones hold no debt).
    const tHeat = Date.now();
    const heat = await json('/v1/web/charts/liquidation-heatmap?format=json');
    console.log(`[table] web heatmap ms ${Date.now() - tHeat} (accounts ${accounts}, ${heat.body.assets.length} assets × ${heat.body.moves.length} moves)`);
    for (const chart of ['/v1/web/charts/rate-curve/USDC', '/v1/web/charts/insurance', '/v1/web/charts/liquidation-heatmap']) {
      const r = await fetch(base + chart);
      const svg = await r.text();
      check(r.status === 200 && /image\/svg\+xml/.test(r.headers.get('content-type')) && svg.includes('<svg') && svg.length > 2000, `${chart} is a non-empty SVG (${svg.length} bytes)`);
    }
    await page.waitForFunction(n => document.querySelectorAll('#oracles tbody tr').length === n, pools.length, { timeout: 15000 });
    check(true, `oracle panel lists ${pools.length} assets`);
    await page.waitForFunction(() => document.getElementById('settlement').textContent.length > 0, null, { timeout: 15000 });
    check(true, `settlement panel: ${await page.textContent('#settlement')}`);
    await page.screenshot({ path: path.join(outDir, 'venue.png'), fullPage: true });

    // Account: alice's demo key signs through the form; the account re-renders from the stream.
    await page.click('#nav-account');
    await page.selectOption('#act-signer', 'alice');
    await page.waitForFunction(() => [...document.querySelectorAll('#activity li.history')].some(li => /Deposited — deposited 0\.25 ETH/.test(li.textContent)), null, { timeout: 15000 });
    check(true, 'activity lists a deposit made before the page was opened (the node\'s account history)');
    await page.waitForFunction(() => [...document.querySelectorAll('#balances tbody tr')].some(r => r.firstChild.textContent === 'USDC'));
    const usdc = () => page.$$eval('#balances tbody tr', r => r.filter(x => x.firstChild.textContent === 'USDC').map(x => x.children[1].textContent)[0]);
    const before = Number(await usdc());
    const send = async (type, asset, amount) => {
      await page.selectOption('#act-type', type);
      await page.selectOption('#act-asset', asset);
      await page.fill('#act-amount', amount);
      await page.click('#act-go');
      await page.waitForFunction(() => document.getElementById('act-result').textContent.length > 0 && !document.getElementById('act-result').dataset.seen);
      const text = await page.textContent('#act-result');
      await page.evaluate(() => { const e = document.getElementById('act-result'); e.dataset.seen = '1'; });
      return text;
    };
    const resetResult = () => page.evaluate(() => { const e = document.getElementById('act-result'); e.textContent = ''; delete e.dataset.seen; });

    // Bad input is refused before signing, with the very message the API gives for it.
    const api = (await post('/v1/dev/faucet', { owner: alice.address, subaccount: 0, asset: 'USDC', amount: '1.0000001' })).body.error;
    const nonceBefore = (await json(`/v1/accounts/${alice.address}`)).body.nextNonce;
    let text = await send('Deposit', 'USDC', '1.0000001');
    check(text === `${api.code}: ${api.message}`, `too many decimals refused with the API's message (${text})`);
    await resetResult();
    text = await send('Deposit', 'USDC', '-5');
    check(/^INVALID_AMOUNT: amount: /.test(text), `negative amount refused (${text})`);
    check((await json(`/v1/accounts/${alice.address}`)).body.nextNonce === nonceBefore, 'nothing was signed for refused forms');

    await resetResult();
    text = await send('Deposit', 'USDC', '1000');
    check(/accepted at height/.test(text), `deposit signed by alice's demo key (${text})`);
    await page.waitForFunction(b => Number([...document.querySelectorAll('#balances tbody tr')].find(r => r.firstChild.textContent === 'USDC').children[1].textContent) === b + 1000, before, { timeout: 15000 });
    check(true, 'account shows the deposit live');
    await page.waitForFunction(() => /Deposited/.test(document.getElementById('activity').textContent), null, { timeout: 15000 });
    check(true, 'activity lists the deposit from the stream');
    await resetResult();
    text = await send('Borrow', 'USDC', String(before + 1000 + 20000));
    check(/accepted at height/.test(text), `borrow signed by alice's demo key (${text})`);
    await page.waitForFunction(() => Number([...document.querySelectorAll('#balances tbody tr')].find(r => r.firstChild.textContent === 'USDC').children[1].textContent) < 0, null, { timeout: 15000 });
    check(true, 'account shows the debt live');
    const status = await page.textContent('#acct-status');
    check(status === 'healthy', `account healthy after the borrow (${status})`);

    // What-if: slide ETH down until the engine says liquidatable; the live state root never moves.
    const rootBefore = await root();
    await page.selectOption('#wi-asset', 'ETH');
    let liquidatableAt = null;
    for (let move = 0; move >= -90; move -= 5) {
      await page.$eval('#wi-move', (el, m) => { el.value = String(m); el.dispatchEvent(new Event('input')); }, move);
      // The result names the move it answers: a slow answer for the previous step is never read as this one's.
      await page.waitForFunction(m => document.getElementById('wi-result').dataset.move === String(m) && document.getElementById('wi-label').textContent === `${m}%`, move, { timeout: 15000 });
      if ((await page.$eval('#wi-result', el => el.querySelector('#wi-status')?.textContent ?? '')) === 'LIQUIDATABLE') { liquidatableAt = move; break; }
    }
    check(liquidatableAt !== null, `what-if reaches liquidatable at ETH ${liquidatableAt}%`);
    check((await root()) === rootBefore, 'state root unchanged by what-if calls');
    check((await page.textContent('#acct-status')) === 'healthy', 'the live account stays healthy');
    // Position what-if: the engine places the order on a copy (a result or its refusal); the root stays.
    await page.selectOption('#wi-market', 'ETH-PERP');
    await page.fill('#wi-size', '-0.5');
    await page.waitForFunction(() => /ETH-PERP at -0\.5|would refuse/.test(document.getElementById('wi-pos-result').textContent), null, { timeout: 15000 });
    check((await root()) === rootBefore, `position what-if answered without changing the state root (${(await page.textContent('#wi-pos-result')).slice(0, 90)})`);

    // The perp order form shows its own fields and refuses a bad size before signing, with the API's message.
    const nonceOrder = (await json(`/v1/accounts/${alice.address}`)).body.nextNonce;
    await resetResult();
    await page.selectOption('#act-type', 'PlaceOrder');
    check(await page.isVisible('#act-size') && !(await page.isVisible('#act-amount')), 'order form shows size and market, not amount');
    await page.fill('#act-size', '0.0000000001');
    await page.click('#act-go');
    await page.waitForFunction(() => document.getElementById('act-result').textContent.length > 0, null, { timeout: 15000 });
    text = await page.textContent('#act-result');
    check(/^INVALID_AMOUNT: size: /.test(text) && (await json(`/v1/accounts/${alice.address}`)).body.nextNonce === nonceOrder, `bad order size refused before signing (${text})`);
    // Limit order for the book: it rests, shows among the open orders and in the venue's book, and its
    // Cancel button (checked and signed like the forms) takes it out again.
    await resetResult();
    await page.selectOption('#act-type', 'LimitOrder');
    check(await page.isVisible('#act-price') && !(await page.isVisible('#act-worst')), 'limit form shows a limit price, not a worst price');
    await page.selectOption('#act-market', 'ETH-PERP');
    await page.selectOption('#act-side', 'sell');
    await page.fill('#act-size', '0.1');
    await page.fill('#act-price', '4321.5');
    await page.click('#act-go');
    await page.waitForFunction(() => document.getElementById('act-result').textContent.length > 0, null, { timeout: 15000 });
    text = await page.textContent('#act-result');
    check(/accepted at height/.test(text), `limit order signed by alice's demo key (${text})`);
    await page.waitForFunction(() => [...document.querySelectorAll('#orders tbody tr')].some(r => r.children[3].textContent === '4321.5'), null, { timeout: 15000 });
    check(true, 'open orders list the resting limit order');
    await page.waitForFunction(() => /4321\.5 × 0\.1 \(1\)/.test(document.getElementById('books').textContent), null, { timeout: 15000 });
    check(true, "the venue's book shows the level");
    await resetResult();
    await page.click('#orders tbody tr button.cancel-order');
    await page.waitForFunction(() => document.querySelectorAll('#orders tbody tr').length === 0, null, { timeout: 15000 });
    text = await page.textContent('#act-result');
    check(/^cancel order \d+: accepted at height/.test(text), `cancel button signs CancelOrder (${text})`);
    check(!/4321\.5/.test(await page.textContent('#books')), 'the level left the book');
    await page.selectOption('#act-type', 'Deposit');
    await resetResult();
    await page.screenshot({ path: path.join(outDir, 'account.png'), fullPage: true });

    // Risk monitor: governance drops ETH to that price; the page lists alice within one block.
    await page.click('#nav-risk');
    await page.waitForSelector('#liq-height');
    const schema = (await json('/v1/eip712')).body;
    const gov = new Wallet(keccak256(toUtf8Bytes('solvent-dev-governance')));
    const eth = (await json('/v1/assets')).body.find(a => a.symbol === 'ETH');
    const price = (BigInt(eth.price.raw) * BigInt(100 + liquidatableAt - 5) / 100n).toString();
    const nonce = (await json(`/v1/accounts/${gov.address.toLowerCase()}`)).body.nextNonce;
    const message = { asset: eth.id, price, nonce: String(nonce) };
    const signature = await gov.signTypedData(schema.domain, { SetOraclePrice: schema.types.SetOraclePrice }, message);
    const ack = await post('/v1/actions', { type: 'SetOraclePrice', message: { ...message, nonce: Number(nonce) }, signature }, { 'X-Solvent-Signer': gov.address.toLowerCase() });
    check(ack.status === 200, `governance price drop accepted (${ack.status} ${ack.body.code || JSON.stringify(ack.body)})`);
    await page.waitForFunction(o => [...document.querySelectorAll('#liq tbody tr')].some(r => r.firstChild.textContent === o), alice.address, { timeout: 15000 }).catch(() => {});
    const shownAt = Number(await page.getAttribute('#liq-height', 'data-height'));
    const listed = await page.$$eval('#liq tbody tr', (r, o) => r.some(x => x.firstChild.textContent === o), alice.address);
    check(listed && shownAt <= ack.body.height + 1, `risk monitor lists alice at block ${shownAt} (price drop in block ${ack.body.height})`);
    await loaded(['chart-heatmap']);
    check(true, 'liquidation heatmap renders on the risk page');

    // The keeper demo key liquidates alice; the recent-liquidations list shows her within the next blocks.
    const keeper = new Wallet(keccak256(toUtf8Bytes('keeper')));
    const kAddr = keeper.address.toLowerCase();
    const usdcAsset = (await json('/v1/assets')).body.find(a => a.symbol === 'USDC');
    check((await post('/v1/dev/faucet', { owner: kAddr, subaccount: 0, asset: 'USDC', amount: '5000' })).status === 200, 'keeper funded through the faucet');
    const kNonce = (await json(`/v1/accounts/${kAddr}`)).body.nextNonce;
    const liqMsg = { liquidatorOwner: kAddr, liquidatorSubaccount: 0, targetOwner: alice.address, targetSubaccount: 0, debtAsset: usdcAsset.id, collateralAsset: eth.id, repayAmount: '1000000000', nonce: String(kNonce) };
    const liqSig = await keeper.signTypedData(schema.domain, { Liquidate: schema.types.Liquidate }, liqMsg);
    const liq = await post('/v1/actions', { type: 'Liquidate', message: { ...liqMsg, nonce: Number(kNonce) }, signature: liqSig }, { 'X-Solvent-Signer': kAddr });
    check(liq.status === 200 && liq.body.code === 'OK', `keeper liquidates alice (${liq.status} ${liq.body.code} ${liq.body.message || ''})`);
    const inList = await page.waitForFunction(o => [...document.querySelectorAll('#liquidations tbody tr')].some(r => r.children[2].textContent.startsWith(o)), alice.address, { timeout: 15000 }).then(() => true, () => false);
    check(inList, 'recent liquidations list alice live');
    await page.screenshot({ path: path.join(outDir, 'risk.png'), fullPage: true });

    // Stress reports from the node's reports directory open in the browser with their charts.
    if (process.env.WEB_APP_REPORTS === '1') {
      await page.click('#nav-reports');
      await page.waitForSelector('#report-list a', { timeout: 15000 });
      await page.click('#report-list a');
      await page.waitForSelector('figure svg, figure img', { timeout: 10000 });
      const charts = await page.$$eval('figure svg, figure img', els => els.filter(e => e.getBoundingClientRect().width > 100).length);
      check(charts >= 2, `stress report opened from the app with ${charts} charts`);
      await page.screenshot({ path: path.join(outDir, 'stress-report.png') });
    }

    // An injected wallet (EIP-1193): the page asks window.ethereum for its accounts and for an
    // eth_signTypedData_v4 signature. The provider here is a stand-in whose key lives in this Node.js process
    // (ethers signs), outside the page as a browser extension's key would be; the node recovers the signer
    // from the signature and credits the deposit to that address, which never had a demo key.
    const wallet = Wallet.createRandom();
    const ctx = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    const asked = [];
    await ctx.exposeFunction('__walletSign', async (from, typedJson) => {
      asked.push(from);
      if (from.toLowerCase() !== wallet.address.toLowerCase()) throw new Error(`asked to sign for ${from}`);
      const t = JSON.parse(typedJson);
      const types = { ...t.types };
      delete types.EIP712Domain;
      return wallet.signTypedData(t.domain, types, t.message);
    });
    await ctx.addInitScript(addr => {
      window.ethereum = {
        request: async ({ method, params }) => {
          if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [addr];
          if (method === 'eth_signTypedData_v4') return window.__walletSign(params[0], params[1]);
          throw Object.assign(new Error(`unsupported method ${method}`), { code: 4200 });
        },
      };
    }, wallet.address);
    const wp = await ctx.newPage();
    wp.on('pageerror', e => problems.push(`wallet page error: ${e.message}`));
    await wp.goto(base + '/app/', { waitUntil: 'load', timeout: 30000 });
    await wp.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
    await wp.click('#nav-account');
    await wp.click('#connect');
    await wp.waitForFunction(a => document.getElementById('addr').value.toLowerCase() === a, wallet.address.toLowerCase(), { timeout: 10000 });
    check(await wp.inputValue('#act-signer') === 'wallet', 'connecting the injected wallet selects it as the signer');
    await wp.selectOption('#act-type', 'Deposit');
    await wp.selectOption('#act-asset', 'USDC');
    await wp.fill('#act-amount', '250');
    await wp.click('#act-go');
    await wp.waitForFunction(() => document.getElementById('act-result').textContent.length > 0, null, { timeout: 15000 });
    const wText = await wp.textContent('#act-result');
    check(/accepted at height/.test(wText) && asked.length === 1, `deposit signed by the injected wallet through eth_signTypedData_v4 (${wText}; ${asked.length} signature asked)`);
    // 250 USDC credited as scaled supply reads back as 249.999999 or 250 (rounding favours the pool).
    await wp.waitForFunction(() => [...document.querySelectorAll('#balances tbody tr')].some(r => r.firstChild.textContent === 'USDC' && Math.abs(Number(r.children[1].textContent) - 250) <= 0.000001), null, { timeout: 15000 })
      .then(() => check(true, 'the wallet\'s account shows the deposit live'), async () => check(false, `the wallet's account shows the deposit live (balances: ${await wp.textContent('#balances')}; error: ${await wp.textContent('#acct-error')}; owner field ${await wp.inputValue('#addr')})`));
    const acct = await json(`/v1/accounts/${wallet.address}`);
    check(acct.status === 200 && Number(acct.body.nextNonce) === 1, `the node counted the wallet's nonce (${acct.status}, next ${acct.body.nextNonce})`);
    // The wallet signs a book order (PlaceBookOrder) and its cancel (CancelOrder) from the typed data the check answers.
    await wp.evaluate(() => { document.getElementById('act-result').textContent = ''; });
    await wp.selectOption('#act-type', 'LimitOrder');
    await wp.selectOption('#act-market', 'ETH-PERP');
    await wp.selectOption('#act-side', 'buy');
    await wp.fill('#act-size', '0.01');
    await wp.fill('#act-price', '1000.5');
    await wp.click('#act-go');
    await wp.waitForFunction(() => document.getElementById('act-result').textContent.length > 0, null, { timeout: 15000 });
    const wOrder = await wp.textContent('#act-result');
    check(/accepted at height/.test(wOrder) && asked.length === 2, `limit order signed by the injected wallet (${wOrder})`);
    await wp.waitForFunction(() => [...document.querySelectorAll('#orders tbody tr')].some(r => r.children[3].textContent === '1000.5'), null, { timeout: 15000 });
    await wp.evaluate(() => { document.getElementById('act-result').textContent = ''; });
    await wp.click('#orders tbody tr button.cancel-order');
    await wp.waitForFunction(() => document.querySelectorAll('#orders tbody tr').length === 0, null, { timeout: 15000 });
    const wCancel = await wp.textContent('#act-result');
    check(/accepted at height/.test(wCancel) && asked.length === 3, `cancel signed by the injected wallet (${wCancel})`);
    await wp.screenshot({ path: path.join(outDir, 'injected-wallet.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  if (problems.length) {
    for (const p of problems) console.error(`FAIL  ${p}`);
    process.exit(1);
  }
}

main().catch(e => { console.error(`FAIL  ${e.stack || e}`); process.exit(1); });
