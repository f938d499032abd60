using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Sim.Market;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Keepers;

/// <summary>
/// The liquidation bots of one path. Each keeper has a reaction latency (drawn per path), USD capital held
/// off-venue, a minimum profit after gas, and acts only through the engine's actions: it buys the debt
/// asset (from its pool, if one is configured), deposits it, <c>Liquidate</c>s, withdraws what it got and
/// sells it into the pool; for positions it deposits margin, <c>LiquidatePerp</c>s and closes the taken
/// position on the vAMM; it <c>FlagLiquidatable</c>s accounts with positions and calls
/// <c>BackstopLiquidate</c> on bankrupt or long-flagged ones (those calls earn nothing: keepers make them as
/// the venue's own service, gas aside). Before acting a keeper estimates its profit (bonus minus sale
/// slippage, fees and gas); an unprofitable liquidation is left for later, or to become bad debt.
/// </summary>
internal sealed class KeeperDesk
{
    private readonly KeeperSpec _spec;
    private readonly double[] _latency;
    private readonly double[] _capital;
    private readonly ConstantProductPool?[] _pools;
    private readonly double[] _market;
    private PathMetrics _m;
    private double _gas;

    public KeeperDesk(KeeperSpec spec, Random rng, ConstantProductPool?[] pools, double[] marketPrices, PathMetrics metrics)
    {
        _spec = spec;
        _latency = new double[spec.Count];
        for (int k = 0; k < _latency.Length; k++)
        {
            _latency[k] = Math.Max(0, spec.LatencySeconds.Sample(rng));
        }

        Array.Sort(_latency);
        _capital = new double[spec.Count];
        Array.Fill(_capital, spec.CapitalUsd);
        _pools = pools;
        _market = marketPrices;
        _m = metrics;
    }

    /// <summary>Where keepers book what they do: the runner swaps in fresh figures when a burn-in ends, so only the measured window counts.</summary>
    public PathMetrics Metrics
    {
        get => _m;
        set => _m = value;
    }

    public static AccountKey KeeperKey(int k) => new(new Address(0x6000_0000UL + (ulong)k, 0x6000UL, 3), 0);

    /// <summary>Tries to act on a liquidatable account; true when an action was applied.</summary>
    public bool Handle(VenueState v, int id, long now, long firstSeen)
    {
        Engine e = v.Engine;
        long offset = now - v.WindowStart;
        if (_spec.Absent(offset))
        {
            return false;
        }

        _gas = _spec.GasAt(offset);
        Health h = e.HealthOf(id);
        if (!h.IsLiquidatable)
        {
            return false;
        }

        // Keepers are sorted by latency: the first ones whose reaction time has passed are eligible.
        int eligible = 0;
        while (eligible < _latency.Length && _latency[eligible] <= now - firstSeen)
        {
            eligible++;
        }

        if (eligible == 0)
        {
            return false;
        }

        int market = FirstPosition(e, id);

        if (market >= 0)
        {
            return HandlePerp(v, id, h, market, eligible);
        }

        return HandleLending(v, id, h, eligible);
    }

    private static int FirstPosition(Engine e, int id)
    {
        ReadOnlySpan<long> sizes = e.Accounts.Sizes(id);
        for (int m = 0; m < sizes.Length; m++)
        {
            if (sizes[m] != 0)
            {
                return m;
            }
        }

        return -1;
    }

    private bool HandleLending(VenueState v, int id, Health h, int eligible)
    {
        Engine e = v.Engine;
        ReadOnlySpan<long> b = e.Accounts.Balances(id);
        int debt = -1, coll = -1;
        double debtUsd = 0, collUsd = 0;
        for (int a = 0; a < b.Length; a++)
        {
            AssetPool p = e.Pools[a];
            if (b[a] < 0)
            {
                double usd = v.Usd(a, p.ScaledToDebt(-b[a]));
                if (usd > debtUsd)
                {
                    (debt, debtUsd) = (a, usd);
                }
            }
            else if (b[a] > 0 && p.Risk.Collateral)
            {
                double usd = v.Usd(a, p.ScaledToSupply(b[a]));
                if (usd > collUsd)
                {
                    (coll, collUsd) = (a, usd);
                }
            }
        }

        if (debt < 0 || coll < 0)
        {
            return false;
        }

        AssetPool dp = e.Pools[debt], cp = e.Pools[coll];
        double pen = cp.Risk.LiquidationPenalty / 1e6, share = cp.Risk.ProtocolShare / 1e6;
        bool partial = h.HealthFactorWad is { } hf && hf > e.Liquidation.FullCloseHealthFactor;
        double repayUsd = partial ? debtUsd * e.Liquidation.CloseFactor / 1e6 : debtUsd;
        repayUsd = Math.Min(repayUsd, collUsd / (1 + pen));
        double toKeeperUsd = repayUsd * (1 + pen) - (repayUsd * pen * share);
        int cm = v.ToMarket[coll], dm = v.ToMarket[debt];
        double oracleColl = cp.Price / 1e8, oracleDebt = dp.Price / 1e8;
        double collUnits = toKeeperUsd / oracleColl;
        double proceeds = _pools[cm]?.Quote(collUnits) ?? collUnits * _market[cm];
        double cost = repayUsd / oracleDebt * _market[dm];
        double profit = proceeds - cost - _gas;
        if (profit < _spec.MinProfitUsd)
        {
            _m.KeeperSkips++;
            return false;
        }

        int k = -1;
        for (int i = 0; i < eligible; i++)
        {
            if (_capital[i] >= cost)
            {
                k = i;
                break;
            }
        }

        if (k < 0)
        {
            _m.KeeperSkips++;
            return false;
        }

        AccountKey key = KeeperKey(k);
        long debtAmount = dp.ScaledToDebt(-b[debt]);
        long deposit = Math.Min(debtAmount, (long)Math.Ceiling(repayUsd * 1.02 / oracleDebt * Math.Pow(10, dp.Config.QuantumDecimals)) + 1);
        double paid = Buy(dm, deposit / Math.Pow(10, dp.Config.QuantumDecimals));
        _capital[k] -= paid + _gas;
        // A deposit is credited at the supply index rounded down: bring two quantums more than the repay.
        if (!e.Apply(new Deposit(key.Owner, key, debt, deposit + 2)).Ok)
        {
            return false;
        }

        ActionResult r = e.Apply(new Liquidate(key.Owner, key, e.Accounts.KeyOf(id), debt, coll, deposit));
        if (r.Code == ErrorCode.LiquidationLeavesDust && deposit < debtAmount)
        {
            // The rest would be dust: the engine wants the whole debt repaid.
            double more = Buy(dm, (debtAmount - deposit) / Math.Pow(10, dp.Config.QuantumDecimals));
            _capital[k] -= more;
            if (e.Apply(new Deposit(key.Owner, key, debt, debtAmount - deposit + 2)).Ok)
            {
                r = e.Apply(new Liquidate(key.Owner, key, e.Accounts.KeyOf(id), debt, coll, debtAmount));
            }
        }

        if (r.Ok)
        {
            _m.Record(v, r.Events);
        }

        Sweep(v, k);
        return r.Ok;
    }

    private bool HandlePerp(VenueState v, int id, Health h, int market, int eligible)
    {
        Engine e = v.Engine;
        AccountKey target = e.Accounts.KeyOf(id);
        AccountKey key0 = KeeperKey(0);
        long flagged = e.Accounts.FlaggedAt(id);
        bool due = flagged > 0 && e.Height - flagged >= e.PerpConfig.BackstopDelayBlocks;
        if (h.Equity < 0 || due)
        {
            ActionResult bs = e.Apply(new BackstopLiquidate(key0.Owner, target, market));
            if (bs.Ok)
            {
                _m.Record(v, bs.Events);
                return true;
            }
        }

        bool acted = false;
        if (flagged == 0)
        {
            ActionResult f = e.Apply(new FlagLiquidatable(key0.Owner, target));
            acted = f.Ok;
        }

        if (h.Equity < 0)
        {
            return acted;
        }

        PerpMarket mk = e.Markets[market];
        int baseAsset = mk.Config.BaseAsset;
        long size = e.Accounts.Size(id, market);
        double notional = v.Usd(baseAsset, Math.Abs(size));
        double profit = (notional * mk.Risk.LiquidationPenalty / 1e6 * (1 - (mk.Risk.ProtocolShare / 1e6))) - (notional * 2 * mk.Risk.TakerFee / 1e6) - ExitSlippage(e, mk, size) - _gas;
        // Open-interest-scaled initial margin can reach 100% of notional (dYdX v4 rule) and the settlement
        // asset counts at its initial weight, so the keeper brings 1.5× notional and takes it back after closing.
        double margin = notional * 1.5;
        if (profit < _spec.MinProfitUsd)
        {
            _m.KeeperSkips++;
            return acted;
        }

        int k = -1;
        for (int i = 0; i < eligible; i++)
        {
            if (_capital[i] >= margin)
            {
                k = i;
                break;
            }
        }

        if (k < 0)
        {
            _m.KeeperSkips++;
            return acted;
        }

        int quote = e.Genesis.QuoteAsset;
        AccountKey key = KeeperKey(k);
        long marginAmount = (long)(margin * Math.Pow(10, e.Pools[quote].Config.QuantumDecimals));
        _capital[k] -= margin + _gas;
        if (!e.Apply(new Deposit(key.Owner, key, quote, marginAmount)).Ok)
        {
            return acted;
        }

        ActionResult r = e.Apply(new LiquidatePerp(key.Owner, key, target, market, Math.Abs(size)));
        if (r.Ok)
        {
            _m.Record(v, r.Events);
            long taken = e.Accounts.Size(e.Accounts.Find(key), market);
            if (taken != 0)
            {
                e.Apply(new PlaceOrder(key.Owner, key, market, -taken, 0, true));
            }
        }

        Sweep(v, k);
        return r.Ok || acted;
    }

    /// <summary>
    /// What closing a taken position of <paramref name="size"/> on the vAMM loses against the index (USD): the
    /// keeper takes it over at the index and must trade out along the curve. Infinite when the curve cannot absorb it.
    /// </summary>
    private static double ExitSlippage(Engine e, PerpMarket mk, long size)
    {
        Solvent.Core.Perps.VirtualAmm.Swap swap;
        try
        {
            if (!Solvent.Core.Perps.VirtualAmm.TrySwap(mk.BaseReserve, mk.QuoteReserve, mk.Peg, -size, out swap))
            {
                return double.PositiveInfinity;
            }
        }
        catch (OverflowException)
        {
            return double.PositiveInfinity;
        }

        double qd = Math.Pow(10, e.Pools[e.Genesis.QuoteAsset].Config.QuantumDecimals);
        double atIndex = size / Math.Pow(10, mk.BaseQuantumDecimals) * (e.Pools[mk.Config.BaseAsset].Price / 1e8);

        // Closing a long sells (Quote < 0 is what the keeper receives); closing a short buys.
        return Math.Max(0, (swap.Quote / qd) + atIndex);
    }

    /// <summary>Withdraws everything a keeper holds on the venue and sells it (stable assets at the market price).</summary>
    private void Sweep(VenueState v, int k)
    {
        Engine e = v.Engine;
        AccountKey key = KeeperKey(k);
        int kid = e.Accounts.Find(key);
        if (kid < 0)
        {
            return;
        }

        for (int a = 0; a < e.Pools.Length; a++)
        {
            long s = e.Accounts.Scaled(kid, a);
            if (s <= 0)
            {
                continue;
            }

            long amount = Math.Min(e.Pools[a].ScaledToSupply(s), e.Pools[a].AvailableLiquidity);
            if (amount > 0 && e.Apply(new Withdraw(key.Owner, key, a, amount)).Ok)
            {
                double units = amount / Math.Pow(10, e.Pools[a].Config.QuantumDecimals);
                int m = v.ToMarket[a];
                _capital[k] += _pools[m]?.Sell(units) ?? units * _market[m];
            }
        }
    }

    private double Buy(int m, double units) =>
        _pools[m] is { } p && p.Buy(units) is var usd && double.IsFinite(usd) ? usd : units * _market[m];

    /// <summary>Keeper latencies of this path (sorted), for reports.</summary>
    public IReadOnlyList<double> Latencies => _latency;

    /// <summary>A USD price in the engine's fixed point (USD × 1e8), at least one unit.</summary>
    public static long ToFixed(double usd) => Math.Max(1, (long)Math.Round(usd * 1e8));

    internal static double Ray(UInt128 r) => (double)r / (double)Precision.Ray;
}
