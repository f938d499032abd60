// Side-by-side conformance: random cases from a seed, computed by the peer library and by Solvent,
// compared with a tolerance justified per quantity. Prints "ok"/"FAIL" lines and exits non-zero on
// any disagreement; every failure shows the seed, the inputs and both outputs.
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');
const { calculateCompoundedInterest, calculateLinearInterest, calculateHealthFactorFromBalances } = require('@aave/math-utils');
const BigNumber = require('bignumber.js');
const { mulberry32 } = require('./random');

const seed = Number(process.env.CONFORMANCE_SEED || 20260312);
const cases = Number(process.env.CONFORMANCE_CASES || 1000);
const root = path.resolve(__dirname, '..', '..');
const solvent = path.join(root, 'src', 'Solvent.Cli', 'bin', 'Release', 'net10.0', 'solvent');

// A genesis for inline eval requests: one 6-decimal settlement stablecoin plus the given assets.
function venue(name, quote, quoteWeight, assets, extra = {}) {
  return {
    name, chainId: 1, genesisTime: 0, governance: '0x00000000000000000000000000000000000000a1', quoteAsset: quote,
    liquidation: { closeFactor: '0.5', fullCloseHealthFactor: '0.95', healthTarget: '1.05', dustThreshold: '0' },
    assets: [
      { symbol: quote, decimals: 6, quantumDecimals: 6, initialPrice: '1', initialAssetWeight: quoteWeight, maintenanceAssetWeight: quoteWeight,
        initialLiabilityWeight: '1', maintenanceLiabilityWeight: '1', liquidationPenalty: '0', protocolShare: '0', borrowable: true, collateral: quoteWeight !== '0',
        rateModel: { type: 'kinked', baseRate: '0', slope1: '0.04', slope2: '0.6', optimalUtilization: '0.8', reserveFactor: '0.1' } },
      ...assets,
    ],
    ...extra,
  };
}

const rnd = mulberry32(seed);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
let failed = 0;
const report = (name, ok, detail) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${name}${detail ? ': ' + detail : ''}`);
  if (!ok) failed++;
};
const run = (args, input) => execFileSync(solvent, args, { input, maxBuffer: 1 << 28 }).toString();

// 1. Compounded interest factor: Aave's binomial approximation and Solvent's index accrual use the
//    same integer ray math, so they must agree to the last digit (tolerance: exact).
{
  const list = [];
  for (let i = 0; i < cases; i++) {
    // yearly rate 0–300% with 11 decimals; elapsed 0–5 years.
    const rate = new BigNumber(int(0, 3000) * 100000000 + int(0, 99999999)).shiftedBy(-11).toFixed();
    list.push({ rate, seconds: int(0, 5 * 31536000) });
  }
  const t0 = process.hrtime.bigint();
  const ours = JSON.parse(run(['conform'], JSON.stringify({ compound: list }))).compound;
  const t1 = process.hrtime.bigint();
  let bad = null;
  const t2 = process.hrtime.bigint();
  const theirs = list.map(c => calculateCompoundedInterest({
    rate: new BigNumber(c.rate).shiftedBy(27).toFixed(0),
    currentTimestamp: c.seconds,
    lastUpdateTimestamp: 0,
  }).toFixed(0));
  const t3 = process.hrtime.bigint();
  for (let i = 0; i < list.length && !bad; i++) {
    if (ours[i] !== theirs[i]) bad = `seed ${seed} case ${i} ${JSON.stringify(list[i])}: aave ${theirs[i]} solvent ${ours[i]}`;
  }
  report(`aave calculateCompoundedInterest, ${list.length} cases, exact`, !bad, bad);
  console.log(`      timing: aave ${(Number(t3 - t2) / 1e6).toFixed(1)} ms in-process; solvent ${(Number(t1 - t0) / 1e6).toFixed(1)} ms including process start`);
}

// 1b. Linear interest factor (the supply index). Solvent follows the Aave v3 contract,
//     MathUtils.calculateLinearInterest (aave-v3-core contracts/protocol/libraries/math/MathUtils.sol):
//       result = rate * (block.timestamp - lastUpdateTimestamp); result = result / SECONDS_PER_YEAR;
//       return WadRayMath.RAY + result;
//     i.e. RAY + ⌊rate·t / 31,536,000⌋, reimplemented below with BigInt: exact. @aave/math-utils'
//     calculateLinearInterest computes RAY + rayMul(rate, rayDiv(wadToRay(t), wadToRay(year))), two
//     half-up roundings, so it may sit a ray unit or two off the contract: reported, bounded, not the reference.
{
  const list = [];
  for (let i = 0; i < cases; i++) {
    const rate = new BigNumber(int(0, 3000) * 100000000 + int(0, 99999999)).shiftedBy(-11).toFixed();
    list.push({ rate, seconds: int(0, 5 * 31536000) });
  }
  const ours = JSON.parse(run(['conform'], JSON.stringify({ compound: [], linear: list }))).linear;
  const RAY = 10n ** 27n, YEAR = 31536000n;
  let bad = null, differ = 0, worstUp = 0n, worstDown = 0n;
  list.forEach((c, i) => {
    if (bad) return;
    const rate = BigInt(new BigNumber(c.rate).shiftedBy(27).toFixed(0));
    const contract = c.seconds === 0 ? RAY : RAY + (rate * BigInt(c.seconds)) / YEAR;
    if (BigInt(ours[i]) !== contract) bad = `seed ${seed} case ${i} ${JSON.stringify(c)}: contract ${contract} solvent ${ours[i]}`;
    const utils = BigInt(calculateLinearInterest({ rate: rate.toString(), currentTimestamp: c.seconds, lastUpdateTimestamp: 0 }).toFixed(0));
    const d = utils - contract;
    if (d !== 0n) differ++;
    if (d > worstUp) worstUp = d;
    if (d < worstDown) worstDown = d;
  });
  report(`aave v3 MathUtils.calculateLinearInterest (contract formula), ${list.length} cases, exact`, !bad, bad);
  // math-utils' two half-up roundings move the result by at most 1 + rate/(2·RAY) ray units (< 2.5 for rates ≤ 300%).
  report(`@aave/math-utils calculateLinearInterest vs the contract: ${differ}/${list.length} cases differ, math-utils − contract ∈ [${worstDown}, ${worstUp}] ray units (bound [−2, 2])`,
    worstUp <= 2n && worstDown >= -2n, worstUp <= 2n && worstDown >= -2n ? '' : `seed ${seed}: outside the bound`);
}

// 2. Health factor of random multi-collateral users: Aave's calculateHealthFactorFromBalances with the
//    value-weighted liquidation threshold (exact BigNumber) against `solvent eval --json`. Solvent
//    rounds every collateral value and weighted value down to 1e-6 USD and the result down to 1e-18,
//    so it may only be lower, by at most 1e-9 relative (a few micro-dollars on ≥ $1,000).
{
  const symbols = ['AAA', 'BBB', 'CCC', 'DDD'];
  const lts = symbols.map(() => int(5000, 9000)); // bps
  const prices = symbols.map(() => (int(1, 5000000) / 100).toFixed(2));
  const asset = (s, i) => ({
    symbol: s, decimals: 18, quantumDecimals: 9, initialPrice: prices[i],
    initialAssetWeight: (lts[i] / 10000 - 0.02).toFixed(4), maintenanceAssetWeight: (lts[i] / 10000).toFixed(4),
    initialLiabilityWeight: '1', maintenanceLiabilityWeight: '1', liquidationPenalty: '0.05', protocolShare: '0.1',
    borrowable: false, collateral: true,
  });
  const genesis = venue('conformance', 'USD', '0', symbols.map(asset));
  const users = [];
  for (let i = 0; i < cases; i++) {
    const balances = {};
    const n = int(1, symbols.length);
    for (let k = 0; k < n; k++) balances[symbols[int(0, symbols.length - 1)]] = (int(1, 10000000) / 1000).toFixed(3);
    balances.USD = '-' + (int(1000, 50000000) / 100).toFixed(2);
    users.push({ owner: '0x' + (i + 1).toString(16).padStart(40, '0'), balances });
  }
  const t0 = process.hrtime.bigint();
  const out = JSON.parse(run(['eval', '-', '--json'], JSON.stringify({ genesis, subaccounts: users })));
  const t1 = process.hrtime.bigint();
  let bad = null, worst = 0;
  const t2 = process.hrtime.bigint();
  const theirs = users.map(u => {
    let coll = new BigNumber(0), weighted = new BigNumber(0);
    for (const [s, amt] of Object.entries(u.balances)) {
      if (s === 'USD') continue;
      const i = symbols.indexOf(s);
      const v = new BigNumber(amt).times(prices[i]);
      coll = coll.plus(v);
      weighted = weighted.plus(v.times(lts[i]));
    }
    return calculateHealthFactorFromBalances({
      collateralBalanceMarketReferenceCurrency: coll.toFixed(),
      borrowBalanceMarketReferenceCurrency: new BigNumber(u.balances.USD).abs().toFixed(),
      currentLiquidationThreshold: weighted.div(coll),
    });
  });
  const t3 = process.hrtime.bigint();
  out.subaccounts.forEach((s, i) => {
    if (bad) return;
    const ours = new BigNumber(s.healthFactor.value);
    const rel = theirs[i].minus(ours).div(theirs[i]);
    worst = Math.max(worst, rel.toNumber());
    if (ours.gt(theirs[i].plus('1e-18')) || rel.gt('1e-9')) {
      bad = `seed ${seed} user ${i} ${JSON.stringify(users[i].balances)}: aave ${theirs[i].toFixed(20)} solvent ${s.healthFactor.value}`;
    }
  });
  report(`aave calculateHealthFactorFromBalances, ${users.length} multi-collateral users, solvent ≤ aave within 1e-9 relative (worst ${worst.toExponential(2)})`, !bad, bad);
  const aaveRate = users.length / (Number(t3 - t2) / 1e9), ourRate = users.length / (Number(t1 - t0) / 1e9);
  console.log(`      timing: aave ${aaveRate.toFixed(0)} users/s in-process; solvent eval ${ourRate.toFixed(0)} users/s including process start and JSON (ratio ${(ourRate / aaveRate).toFixed(2)})`);
}

// 3. Drift: initial margin ratio with the size premium (calculateMarketMarginRatio, MARGIN_PRECISION
//    1e4, AMM_RESERVE_PRECISION 1e9 sizes) against MarginMath.SizePremiumFraction (ppm, computed in
//    Drift's units and scaled by 100). Same integer formula: exact.
// 4. Drift: vAMM reserves after a base swap (calculateAmmReservesAfterSwap) against VirtualAmm.TrySwap
//    with the same reserves and k. Drift floors the new quote reserve (k / B'); Solvent takes the
//    ceiling so the trader pays more or receives less: Solvent's reserve is Drift's or one above.
{
  const drift = require('@drift-labs/sdk');
  const { BN } = drift;
  const prem = [], swaps = [];
  for (let i = 0; i < cases; i++) {
    prem.push({ fraction: int(1, 500) * 100, size: int(0, 2000000) * 1000000, baseQd: 9, imfFactor: int(0, 5000) });
    const base = int(1000, 10000000) * 1000000000;
    const quote = int(1000, 10000000) * 1000000000;
    const delta = (int(0, 1) ? 1 : -1) * int(1, Math.floor(base / 4000000)) * 1000;
    swaps.push({ base: String(base), quote: String(quote), delta: String(delta) });
  }
  const ours = JSON.parse(run(['conform'], JSON.stringify({ compound: [], sizePremium: prem })));
  let bad = null;
  prem.forEach((c, i) => {
    if (bad) return;
    const market = { status: 'Active', marginRatioInitial: c.fraction / 100, marginRatioMaintenance: 1, imfFactor: c.imfFactor,
      highLeverageMarginRatioInitial: 0, highLeverageMarginRatioMaintenance: 0 };
    const theirs = drift.calculateMarketMarginRatio(market, new BN(c.size), 'Initial');
    if (ours.sizePremium[i] / 100 !== theirs) bad = `seed ${seed} case ${i} ${JSON.stringify(c)}: drift ${theirs} solvent ${ours.sizePremium[i] / 100}`;
  });
  report(`drift calculateMarketMarginRatio (size premium), ${prem.length} cases, exact`, !bad, bad);
  bad = null;
  swaps.forEach((c, i) => {
    if (bad) return;
    const b = new BN(c.base), q = new BN(c.quote), d = new BN(c.delta);
    const sqrtK = drift.squareRootBN(b.mul(q));
    const k = sqrtK.mul(sqrtK);
    // Use reserves consistent with Drift's invariant sqrtK² on both sides.
    const qk = k.div(b);
    const amm = { baseAssetReserve: b, quoteAssetReserve: qk, sqrtK, pegMultiplier: new BN(1000000) };
    const dir = d.isNeg() ? drift.SwapDirection.ADD : drift.SwapDirection.REMOVE;
    const [newQ, newB] = drift.calculateAmmReservesAfterSwap(amm, 'base', d.abs(), dir);
    swaps[i].drift = [newB.toString(), newQ.toString()];
    swaps[i].quote = qk.toString();
  });
  const ours2 = JSON.parse(run(['conform'], JSON.stringify({ compound: [], ammSwap: swaps.map(s => ({ base: s.base, quote: s.quote, delta: s.delta })) }))).ammSwap;
  swaps.forEach((c, i) => {
    if (bad) return;
    const [db, dq] = c.drift.map(x => new BN(x));
    const [sb, sq] = ours2[i].map(x => new BN(x));
    const diff = sq.sub(dq);
    if (!sb.eq(db) || diff.isNeg() || diff.gt(new BN(1))) bad = `seed ${seed} case ${i} ${JSON.stringify({ base: c.base, quote: c.quote, delta: c.delta })}: drift [${c.drift}] solvent [${ours2[i]}]`;
  });
  report(`drift calculateAmmReservesAfterSwap, ${swaps.length} swaps, base exact, quote reserve Solvent − Drift ∈ {0, 1}`, !bad, bad);
}

// 5. Drift: liquidation price of a single perp position over USDC collateral. Drift's
//    calculateLiquidationPrice(freeCollateral, freeCollateralDelta, oracle) = oracle − fc / Δ with
//    Δ = ∂fc/∂price = size·(1 − MMF) long, −|size|·(1 + MMF) short; fed Solvent's own maintenance excess.
//    Solvent reports the edge tick under its rounding (1e-8 USD) found by bisection; Drift floors in
//    1e-6 USD: they agree within 2e-6 USD plus the price step of one free-collateral quantum.
{
  const drift = require('@drift-labs/sdk');
  const { BN } = drift;
  const mmf = 50000;
  const genesis = venue('conformance-perp', 'USDC', '1', [
    { symbol: 'TST', decimals: 9, quantumDecimals: 9, initialPrice: '100', initialAssetWeight: '0', maintenanceAssetWeight: '0',
      initialLiabilityWeight: '1', maintenanceLiabilityWeight: '1', liquidationPenalty: '0', protocolShare: '0', borrowable: false, collateral: false },
  ], {
    perpMarkets: [{ symbol: 'TST-PERP', baseAsset: 'TST', tickSize: '0.01', stepSize: '0.001', ammBaseReserve: '1000000',
      initialMarginFraction: '0.1', maintenanceMarginFraction: '0.05', openInterestLower: '1000000000000', openInterestUpper: '2000000000000',
      maxFundingRate: '0.001', liquidationPenalty: '0.01', protocolShare: '0.5', takerFee: '0' }],
  });
  const users = [];
  for (let i = 0; i < 2 * cases; i++) { // about half are already liquidatable and have no price to compare
    const size = (int(0, 1) ? 1 : -1) * int(1, 1000000) / 1000;
    const entry = int(100, 100000) / 100;
    const usdc = int(100, 10000000) / 100;
    users.push({ owner: '0x' + (i + 1).toString(16).padStart(40, '0'), balances: { USDC: usdc.toFixed(2) },
      positions: { 'TST-PERP': { size: size.toFixed(3), entryPrice: entry.toFixed(2) } } });
  }
  const out = JSON.parse(run(['eval', '-', '--json'], JSON.stringify({ genesis, subaccounts: users })));
  let bad = null, compared = 0;
  out.subaccounts.forEach((s, i) => {
    if (bad) return;
    const p = s.positions[0];
    const fc = new BN(s.maintenanceHealth.raw);
    if (fc.lte(new BN(0)) || !p.liquidationPrice) return;
    const sizeQ = new BN(p.size.raw);
    const frac = sizeQ.isNeg() ? new BN(1000000 + mmf).neg() : new BN(1000000 - mmf);
    const delta = sizeQ.abs().mul(frac);                          // 1e9 base × 1e6 ppm
    const theirs = drift.calculateLiquidationPrice(fc.mul(new BN(1000000000)), delta, new BN(100000000)); // oracle $100 in 1e6
    if (theirs.isNeg()) return;
    compared++;
    const ours = new BN(p.liquidationPrice.raw);                   // 1e8
    const diff = ours.sub(theirs.mul(new BN(100))).abs();
    // 2e-6 USD, plus what one 1e-6 step of free collateral moves the price: 1e-6 / (|size| × (1 ± MMF)).
    const step = new BN('100000000000000000').add(delta.abs()).subn(1).div(delta.abs());
    if (diff.gt(new BN(200).add(step))) bad = `seed ${seed} user ${i} ${JSON.stringify(users[i])}: drift ${theirs.toString()} (1e6) solvent ${p.liquidationPrice.value}`;
  });
  report(`drift calculateLiquidationPrice, ${compared} single-position accounts, within 2e-6 USD + one free-collateral quantum's price step`, !bad && compared >= cases, bad || (compared < cases ? 'too few comparable cases' : ''));
}

// 6. Drift: position PnL with unsettled funding (calculatePositionPNL(withFunding = true)). Same index
//    price, same position; Drift's cumulative funding rate (quote·1e3 per base) is Solvent's funding
//    index (quote·1e9 per base) / 1e6. Drift truncates the base value and the funding toward zero;
//    Solvent floors the signed value toward −∞ and rounds funding against the position, so Solvent's
//    PnL is Drift's or up to 2 quote quantums (2e-6 USD) lower — never higher.
{
  const drift = require('@drift-labs/sdk');
  const { BN } = drift;
  const list = [];
  for (let i = 0; i < cases; i++) {
    const size = (int(0, 1) ? 1 : -1) * int(1, 2000000000) * 1000;   // up to 2,000 base, 1e9 precision
    const price = int(1, 10000000) * 100;                            // 1e8 precision, on a 1e6 grid
    const quote = -Math.sign(size) * int(1, 2000000000);
    const fundingDelta = String((int(0, 1) ? 1 : -1) * int(0, 5000000) * 1000000); // our units, multiple of 1e6
    list.push({ size, price, quote, fundingDelta });
  }
  const ours = JSON.parse(run(['conform'], JSON.stringify({ compound: [], pnl: list }))).pnl;
  let bad = null;
  list.forEach((c, i) => {
    if (bad) return;
    const cum = new BN(c.fundingDelta).div(new BN(1000000));
    const market = { status: 'active', amm: { cumulativeFundingRateLong: cum, cumulativeFundingRateShort: cum } };
    const position = { baseAssetAmount: new BN(c.size), quoteAssetAmount: new BN(c.quote), lastCumulativeFundingRate: new BN(0) };
    const theirs = drift.calculatePositionPNL(market, position, true, { price: new BN(c.price / 100) });
    const diff = theirs.sub(new BN(ours[i]));
    if (diff.isNeg() || diff.gt(new BN(2))) bad = `seed ${seed} case ${i} ${JSON.stringify(c)}: drift ${theirs.toString()} solvent ${ours[i]}`;
  });
  report(`drift calculatePositionPNL with funding, ${list.length} cases, Solvent = Drift − {0, 1, 2} quantums`, !bad, bad);
}

// 7. Drift: the User class's margin figures on in-memory markets (drift-user.js).
require('./drift-user.js')({ cases, int, seed, report, run, venue });

// 8. Aave: formatReserves + formatUserSummary figures (aave-summary.js).
require('./aave-summary.js')({ cases, int, seed, report, run, venue });

// 9. EIP-712 signed actions from ethers and viem (eip712.js); asynchronous, so the summary waits for it.
require('./eip712.js')({ cases, int, seed, report, run })
  .catch(e => report('ethers@6 + viem EIP-712', false, `seed ${seed}: ${e.stack || e}`))
  .finally(() => {
    console.log(`seed ${seed}: ${failed === 0 ? 'all agree' : failed + ' check(s) disagree'}`);
    process.exit(failed === 0 ? 0 : 1);
  });
