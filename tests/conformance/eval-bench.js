// Throughput of `solvent eval` against @aave/math-utils on the same random users (a benchmark, not a
// test: nothing here passes or fails on time).
//
//   node eval-bench.js [USERS] [--seed N] [--keep FILE] [--no-aave]
//
// Makes USERS (default 100,000) Aave-style users over five reserves with random indexes and 6/8/9
// decimals, as aave-summary.js does: 1–3 supplied reserves and 0–2 borrowed ones each. Aave's side runs
// in this process and only its calls are timed: formatUserSummary (what aave-summary.js compares) and
// calculateHealthFactorFromBalances on the summary's totals. Solvent's side is the same users written as
// one eval request (the underlying balances Aave computed) and `solvent eval FILE --json --timing`, with
// and without --no-liquidation-prices, output to /dev/null; its rate is read from --timing (read, parse,
// build and streamed report inside the process, process start excluded). --keep writes the request to
// FILE and keeps it (for /usr/bin/time -v); --no-aave skips Aave entirely and only writes a request of
// the same shape (scaled balances taken as underlying), which is quick at 500,000 users.
'use strict';
const { mulberry32, randomAaveReserves } = require('./random');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { formatReserves, formatUserSummary, calculateHealthFactorFromBalances } = require('@aave/math-utils');
const BigNumber = require('bignumber.js');

const args = process.argv.slice(2);
const flag = name => { const i = args.indexOf(name); return i < 0 ? null : args.splice(i, 2)[1]; };
const seed = Number(flag('--seed') ?? 20261204);
const keep = flag('--keep');
const noAave = args.includes('--no-aave');
const users = Number(args.find(a => /^\d+$/.test(a)) ?? 100000);
const root = path.resolve(__dirname, '..', '..');
const solvent = path.join(root, 'src', 'Solvent.Cli', 'bin', 'Release', 'net10.0', 'solvent');

const rnd = mulberry32(seed);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const scaled = (decimals, digits) => new BigNumber(int(1, 10 ** digits)).times(new BigNumber(10).pow(decimals)).plus(int(0, 10 ** Math.min(decimals, 6))).toFixed(0);

const now = 1700000000;
const reserves = randomAaveReserves(int, now);
const formatted = formatReserves({ reserves, currentTimestamp: now, marketReferencePriceInUsd: '100000000', marketReferenceCurrencyDecimals: 8 });
const asset = r => ({
  symbol: r.symbol, decimals: r.decimals, quantumDecimals: r.decimals,
  initialPrice: new BigNumber(r.priceInMarketReferenceCurrency).shiftedBy(-8).toFixed(), initialAssetWeight: (r.baseLTVasCollateral / 1e4).toFixed(4),
  maintenanceAssetWeight: (r.reserveLiquidationThreshold / 1e4).toFixed(4), initialLiabilityWeight: '1', maintenanceLiabilityWeight: '1',
  liquidationPenalty: '0.05', protocolShare: '0.1', borrowable: true, collateral: true,
  rateModel: { type: 'kinked', baseRate: '0', slope1: '0.04', slope2: '0.6', optimalUtilization: '0.8', reserveFactor: '0.1' },
});
const genesis = {
  name: 'eval-bench', chainId: 1, genesisTime: 0, governance: '0x00000000000000000000000000000000000000a1', quoteAsset: 'USD',
  liquidation: { closeFactor: '0.5', fullCloseHealthFactor: '0.95', healthTarget: '1.05', dustThreshold: '0' },
  assets: [
    { symbol: 'USD', decimals: 6, quantumDecimals: 6, initialPrice: '1', initialAssetWeight: '0', maintenanceAssetWeight: '0', initialLiabilityWeight: '1',
      maintenanceLiabilityWeight: '1', liquidationPenalty: '0', protocolShare: '0', borrowable: true, collateral: false,
      rateModel: { type: 'kinked', baseRate: '0', slope1: '0.04', slope2: '0.6', optimalUtilization: '0.8', reserveFactor: '0.1' } },
    ...reserves.map(asset),
  ],
};

// The request is written one subaccount at a time: at 500,000 users it is ~100 MB.
const file = keep ?? path.join(os.tmpdir(), `eval-bench-${process.pid}.json`);
const startFile = path.join(os.tmpdir(), `eval-bench-start-${process.pid}.json`);
const out = fs.openSync(file, 'w');
fs.writeSync(out, `{"genesis":${JSON.stringify(genesis)},"subaccounts":[\n`);
let summaryNs = 0n, hfNs = 0n;
for (let i = 0; i < users; i++) {
  const order = reserves.map((_, k) => k).sort(() => (int(0, 1) ? 1 : -1));
  const nColl = int(1, 3), nDebt = int(0, 2);
  const userReserves = [];
  // Up to 10^4 whole tokens supplied and 10^3 borrowed: 500,000 users stay within the 64-bit pool totals.
  order.slice(0, nColl).forEach(k => userReserves.push({ underlyingAsset: reserves[k].underlyingAsset, scaledATokenBalance: scaled(reserves[k].decimals, 4), usageAsCollateralEnabledOnUser: true, scaledVariableDebt: '0' }));
  order.slice(nColl, nColl + nDebt).forEach(k => userReserves.push({ underlyingAsset: reserves[k].underlyingAsset, scaledATokenBalance: '0', usageAsCollateralEnabledOnUser: false, scaledVariableDebt: scaled(reserves[k].decimals, 3) }));
  const balances = {};
  if (noAave) {
    // Scaled balances taken as underlying: the same shape of request, without Aave's indexes.
    userReserves.forEach(u => {
      const r = reserves.find(x => x.underlyingAsset === u.underlyingAsset);
      balances[r.symbol] = u.scaledATokenBalance !== '0' ? new BigNumber(u.scaledATokenBalance).shiftedBy(-r.decimals).toFixed() : '-' + new BigNumber(u.scaledVariableDebt).shiftedBy(-r.decimals).toFixed();
    });
    fs.writeSync(out, (i ? ',\n' : '') + JSON.stringify({ owner: '0x' + (i + 1).toString(16).padStart(40, '0'), balances }));
    continue;
  }
  const t0 = process.hrtime.bigint();
  const s = formatUserSummary({ currentTimestamp: now, marketReferencePriceInUsd: '100000000', marketReferenceCurrencyDecimals: 8, userReserves, formattedReserves: formatted, userEmodeCategoryId: 0 });
  const t1 = process.hrtime.bigint();
  calculateHealthFactorFromBalances({ collateralBalanceMarketReferenceCurrency: s.totalCollateralMarketReferenceCurrency, borrowBalanceMarketReferenceCurrency: s.totalBorrowsMarketReferenceCurrency, currentLiquidationThreshold: s.currentLiquidationThreshold });
  const t2 = process.hrtime.bigint();
  summaryNs += t1 - t0;
  hfNs += t2 - t1;
  s.userReservesData.forEach(u => {
    if (new BigNumber(u.underlyingBalance).gt(0)) balances[u.reserve.symbol] = u.underlyingBalance;
    if (new BigNumber(u.variableBorrows).gt(0)) balances[u.reserve.symbol] = '-' + u.variableBorrows;
  });
  fs.writeSync(out, (i ? ',\n' : '') + JSON.stringify({ owner: '0x' + (i + 1).toString(16).padStart(40, '0'), balances }));
  if (i === 0) fs.writeFileSync(startFile, `{"genesis":${JSON.stringify(genesis)},"subaccounts":[\n${JSON.stringify({ owner: '0x' + (1).toString(16).padStart(40, '0'), balances })}\n]}\n`);
}
fs.writeSync(out, '\n]}\n');
fs.closeSync(out);

const rate = (n, ns) => Math.round(n / (Number(ns) / 1e9));
console.log(`users: ${users} (seed ${seed}; request ${(fs.statSync(file).size / 1e6).toFixed(1)} MB${keep ? ' at ' + file : ''})`);
if (noAave) { fs.unlinkSync(startFile); process.exit(0); }
const aave = rate(users, summaryNs);
console.log(`aave formatUserSummary: ${aave} users/s in-process (calls only, ${(Number(summaryNs) / 1e9).toFixed(2)} s)`);
console.log(`aave calculateHealthFactorFromBalances on the summary's totals: ${rate(users, hfNs)} users/s in-process (calls only)`);

const timed = (request, extra, expected) => {
  const devNull = fs.openSync('/dev/null', 'w');
  const r = spawnSync(solvent, ['eval', request, '--json', '--timing', ...extra], { stdio: ['ignore', devNull, 'pipe'] });
  fs.closeSync(devNull);
  const line = r.stderr.toString().split('\n').find(l => l.startsWith('timing:'));
  if (r.status !== 0 || !line) throw new Error(`solvent eval failed (${r.status}): ${r.stderr}`);
  const t = Object.fromEntries(line.slice(8).split(' ').map(kv => kv.split('=')));
  if (Number(t.subaccounts) !== expected) throw new Error(`solvent reported ${t.subaccounts} subaccounts for ${expected} users`);
  return t;
};
for (const extra of [['--no-liquidation-prices'], []]) {
  const t = timed(file, extra, users);
  // Start-up inside the process (loading the genesis, compiling every method on first call) is the same
  // for one user as for a million: timed on a one-user request of the same genesis and taken off, the
  // remainder is the per-user rate that compares with Aave's calls-only loop.
  const start = timed(startFile, extra, 1);
  const ours = rate(users, BigInt(t.totalMs) * 1000000n);
  const marginalMs = Math.max(1, Number(t.totalMs) - Number(start.totalMs));
  const marginal = rate(users - 1, BigInt(marginalMs) * 1000000n);
  const evalOnly = rate(users, BigInt(t.reportMs) * 1000000n);
  console.log(`solvent eval --json ${extra.join(' ') || '(with liquidation prices)'}: ${ours} users/s in-process (read ${t.readMs} + parse ${t.parseMs} + build ${t.buildMs} + report ${t.reportMs} ms), ${(ours / aave).toFixed(1)}× aave formatUserSummary; report alone ${evalOnly} users/s`);
  console.log(`  start-up excluded (one-user request: ${start.totalMs} ms): ${marginal} users/s, ${(marginal / aave).toFixed(1)}× aave formatUserSummary`);
}
if (!keep) fs.unlinkSync(file);
fs.unlinkSync(startFile);
