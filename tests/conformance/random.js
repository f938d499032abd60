'use strict';
// Seeded random numbers for the conformance scripts: every case is reproducible from its seed.

/** mulberry32: a small, fast 32-bit generator returning floats in [0, 1). */
function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Aave v3 reserves over five random tokens (6/8/9 decimals, random LTVs, thresholds, indexes and prices), as `formatReserves` takes them. */
function randomAaveReserves(int, now) {
  const BigNumber = require('bignumber.js');
  const RAY = new BigNumber(10).pow(27);
  return ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'].map((symbol, i) => {
    const ltv = int(4000, 8500), lt = Math.min(9500, ltv + int(100, 1000));
    return {
      originalId: i, id: symbol, symbol, name: symbol, decimals: [6, 8, 9][i % 3], underlyingAsset: '0x' + (i + 1).toString(16).padStart(40, '0'),
      usageAsCollateralEnabled: true, reserveFactor: '1000', baseLTVasCollateral: String(ltv), reserveLiquidationThreshold: String(lt), reserveLiquidationBonus: '10500',
      liquidityIndex: RAY.times(1 + int(0, 500000) / 1e6).toFixed(0), variableBorrowIndex: RAY.times(1 + int(0, 800000) / 1e6).toFixed(0),
      variableBorrowRate: '0', liquidityRate: '0', availableLiquidity: '0', totalScaledVariableDebt: '0', lastUpdateTimestamp: now,
      borrowCap: '0', supplyCap: '0', debtCeiling: '0', debtCeilingDecimals: 2, isolationModeTotalDebt: '0', virtualUnderlyingBalance: '0', deficit: '0',
      priceInMarketReferenceCurrency: String(int(1, 10000000) * 1000), // USD, 8 decimals
    };
  });
}

module.exports = { mulberry32, randomAaveReserves };
