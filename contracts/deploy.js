// Deploys a dev settlement chain's contracts from the committed artifacts: one TestToken per asset (or existing
// token addresses) and a Vault, then prints the genesis `settlement.chains` entry as JSON. For dev networks
// (Anvil); the node's bridge can do the same from C# with contracts/out/*.json (see contracts/README.md).
//   node contracts/deploy.js --rpc http://127.0.0.1:8545 --key 0x… --solvent-chain-id 7 \
//     --validators 0xA,0xB --threshold 1 --forced-deadline 86400 --token USDC:6 [--token WETH:18 | --token USDC=0x…]
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const root = path.resolve(__dirname, '..');
const requireConformance = createRequire(path.join(root, 'tests', 'conformance', 'package.json'));
const ethers = requireConformance('ethers');
const { domainSeparator } = require(path.join(root, 'tests', 'conformance', 'settlement-trees.js'));

const artifact = (name) => JSON.parse(fs.readFileSync(path.join(__dirname, 'out', `${name}.json`), 'utf8'));

/**
 * Deploys tokens and a vault with `signer`. tokens: [{ asset, decimals } | { asset, token }].
 * Returns { chainId, vault, confirmations, tokens: [{ asset, token }] }.
 */
async function deployDev(signer, { solventChainId, validators, threshold, forcedDeadline, tokens, confirmations = 2 }) {
  const out = [];
  const tokenArt = artifact('TestToken');
  for (const t of tokens) {
    if (t.token) { out.push({ asset: t.asset, token: ethers.getAddress(t.token) }); continue; }
    const c = await new ethers.ContractFactory(tokenArt.abi, tokenArt.bytecode, signer).deploy(`Solvent dev ${t.asset}`, t.asset, t.decimals);
    await c.waitForDeployment();
    out.push({ asset: t.asset, token: c.target });
  }
  const vaultArt = artifact('Vault');
  const vault = await new ethers.ContractFactory(vaultArt.abi, vaultArt.bytecode, signer)
    .deploy(domainSeparator(solventChainId), validators, threshold, forcedDeadline, out.map(t => t.token));
  await vault.waitForDeployment();
  const { chainId } = await signer.provider.getNetwork();
  return { chainId: Number(chainId), vault: vault.target, confirmations, tokens: out };
}

function parseArgs(argv) {
  const o = { tokens: [] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (v === undefined || !k.startsWith('--')) throw new Error(`expected --option value, got ${k}`);
    i++;
    if (k === '--rpc') o.rpc = v;
    else if (k === '--key') o.key = v;
    else if (k === '--solvent-chain-id') o.solventChainId = Number(v);
    else if (k === '--validators') o.validators = v.split(',').map(a => ethers.getAddress(a.trim()));
    else if (k === '--threshold') o.threshold = Number(v);
    else if (k === '--forced-deadline') o.forcedDeadline = Number(v);
    else if (k === '--confirmations') o.confirmations = Number(v);
    else if (k === '--token') {
      const m = /^([A-Za-z0-9]+)(?::(\d+)|=(0x[0-9a-fA-F]{40}))$/.exec(v);
      if (!m) throw new Error(`--token: expected ASSET:DECIMALS or ASSET=0xADDRESS, got ${v}`);
      o.tokens.push(m[3] ? { asset: m[1], token: m[3] } : { asset: m[1], decimals: Number(m[2]) });
    } else throw new Error(`unknown option ${k}`);
  }
  for (const need of ['rpc', 'key', 'solventChainId', 'validators', 'threshold', 'forcedDeadline']) {
    if (o[need] === undefined || Number.isNaN(o[need])) throw new Error(`missing --${need.replace(/[A-Z]/g, c => '-' + c.toLowerCase())}`);
  }
  return o;
}

if (require.main === module) {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`error: ${e.message}`); process.exit(2); }
  // One sender, sequential transactions: count nonces locally rather than trust a cached pending count.
  const signer = new ethers.NonceManager(new ethers.Wallet(o.key, new ethers.JsonRpcProvider(o.rpc)));
  deployDev(signer, o)
    .then(entry => console.log(JSON.stringify(entry, null, 2)))
    .catch(e => { console.error(`error: ${e.shortMessage || e.message}`); process.exit(1); });
}
module.exports = { deployDev, parseArgs };
