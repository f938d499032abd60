// Drift SDK `User` margin figures with in-memory market data, side by side with `solvent eval`.
// A Drift User is built over a duck-typed DriftClient (spot and perp market accounts, oracle data) and a
// custom account subscriber holding a random account: a USDC deposit and positions in two perp markets.
// Solvent evaluates the same account under a genesis with the same parameters. Compared: maintenance
// health (Drift: getTotalCollateral('Maintenance') − getMaintenanceMarginRequirement()) and initial
// health (non-strict; Drift's strict mode prices with oracle TWAPs, which Solvent does not).
'use strict';
const drift = require('@drift-labs/sdk');
const { BN, User, SpotBalanceType, MarketStatus } = drift;

const Z = new BN(0);
const E9 = new BN(1000000000);

module.exports = function driftUser({ cases, int, seed, report, run, venue }) {
  // Two markets: A without size premium, B with Drift's IMF factor (Solvent applies it to initial margin only).
  const markets = [
    { symbol: 'AAA-PERP', base: 'AAA', price: int(5, 500000) * 100, imr: 1000, mmr: 500, imf: 0, pnlInit: 9000, pnlMaint: 10000 },
    { symbol: 'BBB-PERP', base: 'BBB', price: int(5, 500000) * 100, imr: 2000, mmr: 1000, imf: 5000, pnlInit: 8000, pnlMaint: 9500 },
  ];
  const spot = {
    marketIndex: 0, decimals: 6, status: MarketStatus.ACTIVE, assetTier: drift.AssetTier.COLLATERAL,
    cumulativeDepositInterest: new BN(10).pow(new BN(10)), cumulativeBorrowInterest: new BN(10).pow(new BN(10)),
    initialAssetWeight: 10000, maintenanceAssetWeight: 10000, initialLiabilityWeight: 10000, maintenanceLiabilityWeight: 10000,
    imfFactor: 0, scaleInitialAssetWeightStart: Z, depositBalance: Z, borrowBalance: Z, maxTokenDeposits: Z,
    historicalOracleData: { lastOraclePrice: new BN(1000000), lastOraclePriceTwap5Min: new BN(1000000), lastOraclePriceTwap: new BN(1000000) },
    oracleSource: drift.OracleSource.QUOTE_ASSET, poolId: 0,
  };
  const perps = markets.map((m, i) => ({
    marketIndex: i, status: MarketStatus.ACTIVE, quoteSpotMarketIndex: 0, contractType: drift.ContractType.PERPETUAL, contractTier: drift.ContractTier.A,
    marginRatioInitial: m.imr, marginRatioMaintenance: m.mmr, imfFactor: m.imf,
    unrealizedPnlInitialAssetWeight: m.pnlInit, unrealizedPnlMaintenanceAssetWeight: m.pnlMaint, unrealizedPnlImfFactor: 0, unrealizedPnlMaxImbalance: Z,
    highLeverageMarginRatioInitial: 0, highLeverageMarginRatioMaintenance: 0, pnlPool: { scaledBalance: Z }, poolId: 0,
    amm: { cumulativeFundingRateLong: Z, cumulativeFundingRateShort: Z, oracleSource: drift.OracleSource.PYTH, orderStepSize: new BN(1000),
      historicalOracleData: { lastOraclePriceTwap5Min: new BN(m.price), lastOraclePriceTwap: new BN(m.price) } },
  }));
  const oracle = (p) => ({ price: new BN(p), slot: new BN(1), confidence: Z, hasSufficientNumberOfDataPoints: true, twap: new BN(p), twapConfidence: Z });
  const client = {
    getSpotMarketAccount: () => spot, getQuoteSpotMarketAccount: () => spot, getSpotMarketAccounts: () => [spot],
    getPerpMarketAccount: (i) => perps[i],
    getOracleDataForSpotMarket: () => oracle(1000000),
    getOracleDataForPerpMarket: (i) => oracle(markets[i].price), getMMOracleDataForPerpMarket: (i) => oracle(markets[i].price),
    getStateAccount: () => ({ liquidationMarginBufferRatio: 200 }), getUserStats: () => undefined, getMarketFees: () => ({ takerFee: 0, makerFee: 0 }),
  };
  const emptySpot = () => ({ marketIndex: 0, balanceType: SpotBalanceType.DEPOSIT, scaledBalance: Z, openOrders: 0, openBids: Z, openAsks: Z, cumulativeDeposits: Z });
  const emptyPerp = (i) => ({ marketIndex: i, baseAssetAmount: Z, quoteAssetAmount: Z, quoteEntryAmount: Z, quoteBreakEvenAmount: Z,
    lastCumulativeFundingRate: Z, openOrders: 0, openBids: Z, openAsks: Z, settledPnl: Z, lpShares: Z, positionFlag: 0, isolatedPositionScaledBalance: Z, maxMarginRatio: 0 });

  const genesis = venue('conformance-drift-user', 'USDC', '1', markets.map(m => ({
    symbol: m.base, decimals: 9, quantumDecimals: 9, initialPrice: String(m.price / 1e6), initialAssetWeight: '0', maintenanceAssetWeight: '0',
    initialLiabilityWeight: '1', maintenanceLiabilityWeight: '1', liquidationPenalty: '0', protocolShare: '0', borrowable: false, collateral: false,
  })), {
    perpMarkets: markets.map(m => ({ symbol: m.symbol, baseAsset: m.base, tickSize: '0.000001', stepSize: '0.000000001', ammBaseReserve: '1000000000',
      initialMarginFraction: String(m.imr / 1e4), maintenanceMarginFraction: String(m.mmr / 1e4), imfFactor: String(m.imf / 1e6),
      openInterestLower: '1000000000000', openInterestUpper: '2000000000000', maxFundingRate: '0.001', liquidationPenalty: '0.001', protocolShare: '0', takerFee: '0',
      pnlInitialWeight: String(m.pnlInit / 1e4), pnlMaintenanceWeight: String(m.pnlMaint / 1e4) })),
  });

  const users = [], accounts = [];
  for (let i = 0; i < cases; i++) {
    const usdc = int(0, 2000000) * 1000000 + int(0, 999999);                  // up to $2M, 1e-6
    const acct = { spotPositions: [{ ...emptySpot(), scaledBalance: new BN(usdc).mul(new BN(1000)) }, ...Array.from({ length: 7 }, emptySpot)],
      perpPositions: [...markets.map((_, k) => emptyPerp(k)), ...Array.from({ length: 6 }, () => emptyPerp(0))],
      status: 0, marginMode: drift.MarginMode.DEFAULT, isMarginTradingEnabled: true, maxMarginRatio: 0, orders: [], poolId: 0 };
    const positions = {};
    markets.forEach((m, k) => {
      if (int(0, 3) === 0) return;                                             // a quarter hold no position
      const size = (int(0, 1) ? 1 : -1) * int(1, 20000000) * 1000;            // up to 20,000 base (1e9)
      const entry = Math.max(1, Math.round(m.price * int(50, 150) / 100));      // 1e6
      // Solvent books quote = −⌊size × entry⌋ in 1e-6 (floor toward −∞); Drift gets the same quote amount.
      const prod = new BN(size).mul(new BN(entry));
      let q = prod.div(E9);
      if (prod.isNeg() && !prod.mod(E9).isZero()) q = q.sub(new BN(1));
      acct.perpPositions[k] = { ...emptyPerp(k), baseAssetAmount: new BN(size), quoteAssetAmount: q.neg() };
      positions[m.symbol] = { size: (size / 1e9).toFixed(9), entryPrice: (entry / 1e6).toFixed(6) };
    });
    accounts.push(acct);
    users.push({ owner: '0x' + (i + 1).toString(16).padStart(40, '0'), balances: { USDC: (usdc / 1e6).toFixed(6) }, positions });
  }

  const t0 = process.hrtime.bigint();
  const theirs = accounts.map((account) => {
    const sub = { isSubscribed: true, getUserAccountAndSlot: () => ({ data: account, slot: 1 }), subscribe: async () => true,
      fetch: async () => {}, unsubscribe: async () => {}, eventEmitter: { on() {}, emit() {} } };
    const u = new User({ driftClient: client, userAccountPublicKey: 'in-memory', accountSubscription: { type: 'custom', userAccountSubscriber: sub } });
    return {
      maint: u.getTotalCollateral('Maintenance').sub(u.getMaintenanceMarginRequirement()),
      init: u.getTotalCollateral('Initial', false).sub(u.getMarginRequirement('Initial', undefined, false)),
    };
  });
  const t1 = process.hrtime.bigint();
  const out = JSON.parse(run(['eval', '-', '--json'], JSON.stringify({ genesis, subaccounts: users })));
  const t2 = process.hrtime.bigint();

  // Expected gap per market B position: Drift's size-premium maintenance ratio over the flat MMF.
  let bad = null, worst = 0, withPremium = 0;
  out.subaccounts.forEach((s, i) => {
    if (bad) return;
    const acct = accounts[i];
    let premium = new BN(0), held = 0;
    markets.forEach((m, k) => {
      const base = acct.perpPositions[k].baseAssetAmount;
      if (base.isZero()) return;
      held++;
      const ratio = drift.calculateMarketMarginRatio(perps[k], base.abs(), 'Maintenance');
      const liability = base.abs().mul(new BN(m.price)).div(E9);
      premium = premium.add(liability.mul(new BN(ratio - m.mmr)).div(new BN(10000)));
    });
    if (!premium.isZero()) withPremium++;
    const sm = new BN(s.maintenanceHealth.raw), si = new BN(s.initialHealth.raw);
    const dm = theirs[i].maint.add(premium).sub(sm);    // Drift (without the maintenance premium) − Solvent
    const di = theirs[i].init.sub(si);
    const tol = new BN(3 * held + 1);
    worst = Math.max(worst, dm.abs().toNumber(), di.abs().toNumber());
    if (dm.isNeg() || dm.gt(tol) || di.isNeg() || di.gt(tol)) {
      bad = `seed ${seed} user ${i} ${JSON.stringify(users[i])}: drift maint ${theirs[i].maint} (+premium ${premium}) init ${theirs[i].init}; solvent maint ${sm} init ${si}`;
    }
  });
  report(`drift User margin figures (in-memory markets), ${cases} accounts × 2 markets: Solvent ≤ Drift by ≤ 3 quantums per position (initial; maintenance after Drift's size premium, which Solvent applies to initial only, ${withPremium} accounts; worst ${worst})`, !bad && withPremium > cases / 10, bad || (withPremium <= cases / 10 ? 'too few accounts reach the size premium' : ''));
  const rate = (n, ns) => (n / (Number(ns) / 1e9)).toFixed(0);
  console.log(`      timing: drift User ${rate(cases, t1 - t0)} accounts/s in-process; solvent eval ${rate(cases, t2 - t1)} accounts/s including process start and JSON (ratio ${(Number(t1 - t0) / Number(t2 - t1)).toFixed(2)})`);
};
