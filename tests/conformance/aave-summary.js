// Aave's formatReserves + formatUserSummary on random multi-reserve users, side by side with
// `solvent eval --json`: total collateral, total borrows, available borrows and health factor.
// Reserves have 6, 8 or 9 decimals (so Solvent's quantum is the token's unit), random liquidity and
// borrow indexes, random LTV / liquidation threshold; Solvent's weights are LTV (initial) and threshold
// (maintenance) with liability weight 1, and it is given the underlying balances Aave computes.
'use strict';
const { formatReserves, formatUserSummary, calculateHealthFactorFromBalancesBigUnits } = require('@aave/math-utils');
const BigNumber = require('bignumber.js');
const { randomAaveReserves } = require('./random');


module.exports = function aaveSummary({ cases, int, seed, report, run, venue }) {
  const now = 1700000000;
  const reserves = randomAaveReserves(int, now);
  const formatted = formatReserves({ reserves, currentTimestamp: now, marketReferencePriceInUsd: '100000000', marketReferenceCurrencyDecimals: 8 });

  const genesis = venue('conformance-aave-summary', 'USD', '0', reserves.map(r => ({
    symbol: r.symbol, decimals: r.decimals, quantumDecimals: r.decimals,
    initialPrice: new BigNumber(r.priceInMarketReferenceCurrency).shiftedBy(-8).toFixed(), initialAssetWeight: (r.baseLTVasCollateral / 1e4).toFixed(4),
    maintenanceAssetWeight: (r.reserveLiquidationThreshold / 1e4).toFixed(4), initialLiabilityWeight: '1', maintenanceLiabilityWeight: '1',
    liquidationPenalty: '0.05', protocolShare: '0.1', borrowable: true, collateral: true,
    rateModel: { type: 'kinked', baseRate: '0', slope1: '0.04', slope2: '0.6', optimalUtilization: '0.8', reserveFactor: '0.1' },
  })));

  const users = [], theirs = [], raw = [];
  let t = 0n;
  for (let i = 0; i < cases; i++) {
    const order = reserves.map((_, k) => k).sort(() => rndSign(int));
    const nColl = int(1, 3), nDebt = int(0, 2);
    const userReserves = [];
    order.slice(0, nColl).forEach(k => userReserves.push({ underlyingAsset: reserves[k].underlyingAsset, scaledATokenBalance: scaled(int, reserves[k].decimals, 5), usageAsCollateralEnabledOnUser: true, scaledVariableDebt: '0' }));
    order.slice(nColl, nColl + nDebt).forEach(k => userReserves.push({ underlyingAsset: reserves[k].underlyingAsset, scaledATokenBalance: '0', usageAsCollateralEnabledOnUser: false, scaledVariableDebt: scaled(int, reserves[k].decimals, 4) }));
    const t0 = process.hrtime.bigint();
    const s = formatUserSummary({ currentTimestamp: now, marketReferencePriceInUsd: '100000000', marketReferenceCurrencyDecimals: 8, userReserves, formattedReserves: formatted, userEmodeCategoryId: 0 });
    t += process.hrtime.bigint() - t0;
    theirs.push(s);
    raw.push(userReserves);
    const balances = {};
    s.userReservesData.forEach(u => {
      if (new BigNumber(u.underlyingBalance).gt(0)) balances[u.reserve.symbol] = u.underlyingBalance;
      if (new BigNumber(u.variableBorrows).gt(0)) balances[u.reserve.symbol] = '-' + u.variableBorrows;
    });
    users.push({ owner: '0x' + (i + 1).toString(16).padStart(40, '0'), balances });
  }
  const t1 = process.hrtime.bigint();
  const out = JSON.parse(run(['eval', '-', '--json'], JSON.stringify({ genesis, subaccounts: users })));
  const t2 = process.hrtime.bigint();
  const outAave = JSON.parse(run(['eval', '-', '--json'], JSON.stringify({ genesis: { ...genesis, healthModel: 'aave' }, subaccounts: users })));

  // Solvent floors each collateral value and weighted value to 1e-6 USD and rounds debt up; Aave works in
  // 8-decimal market-reference units. Bound: 2e-6 USD per balance + 1e-8 per Aave figure.
  let bad = null, worst = new BigNumber(0);
  out.subaccounts.forEach((o, i) => {
    if (bad) return;
    const a = theirs[i];
    const n = Object.keys(users[i].balances).length;
    const tol = new BigNumber(2e-6).times(n).plus(2e-8);
    const pairs = [
      ['totalCollateralUSD', a.totalCollateralUSD, o.collateralValue.value, -1],
      ['totalBorrowsUSD', a.totalBorrowsUSD, o.debtValue.value, 1],
      ['availableBorrowsUSD', a.availableBorrowsUSD, o.freeCollateral.value, -1],
    ];
    for (const [name, aave, sol, side] of pairs) {
      const d = new BigNumber(sol).minus(aave);
      worst = BigNumber.max(worst, d.abs());
      // side −1: Solvent may only be lower (protocol's favour); +1: only higher.
      if (d.abs().gt(tol) || d.times(side).lt(new BigNumber(-2e-8))) bad = `seed ${seed} user ${i} ${JSON.stringify(users[i])}: ${name} aave ${aave} solvent ${sol}`;
    }
    const hfA = new BigNumber(a.healthFactor), hfS = o.healthFactor ? new BigNumber(o.healthFactor.value) : null;
    if (hfA.gt(0) && hfS) {
      const rel = hfA.minus(hfS).div(hfA);
      if (rel.lt(-1e-12) || rel.gt(1e-8)) bad = `seed ${seed} user ${i} ${JSON.stringify(users[i])}: healthFactor aave ${a.healthFactor} solvent ${o.healthFactor.value}`;
    }
  });
  report(`aave formatReserves + formatUserSummary, ${cases} multi-reserve users (random indexes, 6/8/9 decimals): collateral, borrows, available borrows within 2e-6 USD per balance on the protocol's side, health factor within 1e-8 relative (worst ${worst.toExponential(2)} USD)`, !bad, bad);

  // Both health models against Aave v3's on-chain health factor and against math-utils' floored form.
  //  - @aave/math-utils' formatUserSummary averages thresholds WITHOUT flooring (its division keeps 20
  //    decimals), so it is the exact model's reference above.
  //  - The contract (GenericLogic.calculateUserAccountData, aave-v3-core v3.0–v3.3) floors the average
  //    to whole bp: avgLT = Σ(value·LT) / totalCollateral (integer division), values
  //    price·amount / 10^decimals in 8-decimal base units (floored), amounts scaled.rayMul(index)
  //    (half-up), HF = percentMul(totalCollateral, avgLT).wadDiv(totalDebt) (both half-up).
  //    Reimplemented in BigInt below (contractHealth). math-utils' calculateHealthFactorFromBalancesBigUnits
  //    floors the same way from formatUserSummary's figures.
  //  - healthModel "aave": Solvent equals the contract's floored average threshold, so its health
  //    factor is the contract's within value rounding (1e-8 relative, either side), and never above
  //    math-utils' floored form.
  //  - healthModel "exact": Solvent is at or above the contract by less than 1 bp of threshold:
  //    (HF_exact − HF_contract) / HF_contract < 1 / avgLT_bp (+1e-8 for rounding).
  const bySymbol = Object.fromEntries(reserves.map(r => [r.underlyingAsset, r]));
  let badA = null, badX = null, ltMismatch = 0, above = 0, worstAave = 0, worstExcess = 0, compared = 0;
  out.subaccounts.forEach((o, i) => {
    const a = theirs[i], oa = outAave.subaccounts[i];
    const c = contractHealth(raw[i], bySymbol);
    if (c.debt === 0n || !o.healthFactor || !oa.healthFactor) return;
    compared++;
    const hfC = new BigNumber(c.hf.toString()).shiftedBy(-18);
    const floored = calculateHealthFactorFromBalancesBigUnits({
      collateralBalanceMarketReferenceCurrency: a.totalCollateralMarketReferenceCurrency,
      borrowBalanceMarketReferenceCurrency: a.totalBorrowsMarketReferenceCurrency,
      currentLiquidationThreshold: a.currentLiquidationThreshold,
    });
    if (!new BigNumber(a.currentLiquidationThreshold).shiftedBy(4).decimalPlaces(0, BigNumber.ROUND_DOWN).eq(c.avgLt.toString())) ltMismatch++;
    const hfA = new BigNumber(oa.healthFactor.value), hfX = new BigNumber(o.healthFactor.value);
    const relA = hfA.minus(hfC).div(hfC).abs().toNumber();
    worstAave = Math.max(worstAave, relA);
    if (!badA && (relA > 1e-8 || hfA.gt(floored.plus('1e-18')))) badA = `seed ${seed} user ${i} ${JSON.stringify(users[i])}: contract ${hfC.toFixed(18)} (avgLT ${c.avgLt} bp), math-utils floored ${floored.toFixed(18)}, solvent aave ${oa.healthFactor.value}`;
    const excess = hfX.minus(hfC).div(hfC).toNumber();
    if (excess > 1e-12) above++;
    worstExcess = Math.max(worstExcess, excess);
    if (!badX && (excess < -1e-8 || excess > 1 / Number(c.avgLt) + 1e-8)) badX = `seed ${seed} user ${i} ${JSON.stringify(users[i])}: contract ${hfC.toFixed(18)} (avgLT ${c.avgLt} bp), solvent exact ${o.healthFactor.value}`;
  });
  report(`aave healthModel "aave": health factor = Aave v3 GenericLogic (floored average threshold) within 1e-8 relative and ≤ math-utils' floored form, ${compared} users with debt (worst ${worstAave.toExponential(2)}; math-utils' floored threshold ≠ contract's for ${ltMismatch})`, !badA && compared > cases / 2, badA || (compared <= cases / 2 ? 'too few users with debt' : ''));
  report(`aave healthModel "exact": health factor ≥ Aave v3 GenericLogic, above it by < 1 / avgLT(bp) relative: ${above}/${compared} users above (worst ${worstExcess.toExponential(2)})`, !badX, badX);

  const rate = (n, ns) => (n / (Number(ns) / 1e9)).toFixed(0);
  console.log(`      timing: aave formatUserSummary ${rate(cases, t)} users/s in-process; solvent eval ${rate(cases, t2 - t1)} users/s including process start and JSON`);
};

function rndSign(int) { return int(0, 1) ? 1 : -1; }

// Aave v3 GenericLogic.calculateUserAccountData for raw user reserves (BigInt, base currency 8 decimals).
function contractHealth(userReserves, byAddress) {
  const RAY = 10n ** 27n, HALF_RAY = RAY / 2n, WAD = 10n ** 18n;
  const rayMul = (a, b) => (a * b + HALF_RAY) / RAY;
  let collateral = 0n, weighted = 0n, debt = 0n;
  for (const u of userReserves) {
    const r = byAddress[u.underlyingAsset];
    const unit = 10n ** BigInt(r.decimals), price = BigInt(r.priceInMarketReferenceCurrency);
    const lt = BigInt(r.reserveLiquidationThreshold);
    if (lt !== 0n && u.usageAsCollateralEnabledOnUser) {
      const v = (price * rayMul(BigInt(u.scaledATokenBalance), BigInt(r.liquidityIndex))) / unit;
      collateral += v;
      weighted += v * lt;
    }
    if (BigInt(u.scaledVariableDebt) > 0n) debt += (price * rayMul(BigInt(u.scaledVariableDebt), BigInt(r.variableBorrowIndex))) / unit;
  }
  const avgLt = collateral === 0n ? 0n : weighted / collateral;
  const percentMul = (x, p) => (x * p + 5000n) / 10000n;
  const hf = debt === 0n ? null : (percentMul(collateral, avgLt) * WAD + debt / 2n) / debt;
  return { collateral, debt, avgLt, hf };
}

// A scaled balance of up to 10^digits whole tokens, in the token's smallest unit.
function scaled(int, decimals, digits) {
  return new BigNumber(int(1, 10 ** digits)).times(new BigNumber(10).pow(decimals)).plus(int(0, 10 ** Math.min(decimals, 6))).toFixed(0);
}
