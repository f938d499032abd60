using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Oracle;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// End of block, part one: each feed with new reports aggregates them — median of the fresh reports from
/// distinct publishers once 2f + 1 and the quorum are present, bounded per second since the last accepted
/// aggregate and per update (clamp and flag, or pause) — and
/// the accepted price feeds the TWAP, the volatility EWMA and the stable price.
/// </summary>
public sealed partial class Engine
{
    private OracleFeed?[] _feeds = [];
    private int[] _oracleAssets = [];

    private void InitOracles(Genesis genesis)
    {
        _feeds = new OracleFeed?[_pools.Length];
        var assets = new List<int>();
        foreach (OracleFeedConfig c in genesis.Oracles)
        {
            _feeds[c.Asset] = new OracleFeed(c, _pools[c.Asset].Price, genesis.GenesisTime);
            assets.Add(c.Asset);
        }

        assets.Sort();
        _oracleAssets = [.. assets];
        _controllers = new long[genesis.RiskControllers.Count];
        Array.Fill(_controllers, genesis.GenesisTime);
    }

    /// <summary>
    /// The end-of-block phase <see cref="Apply(Blocks.Block)"/> runs after the block's actions: oracle
    /// aggregation, the risk controllers, then the write-off of subaccounts the block left with debt no
    /// liquidation can collect. Exposed for simulations that drive the engine without block headers;
    /// returns the phase's events.
    /// </summary>
    public IReadOnlyList<EngineEvent> EndBlock()
    {
        // Most blocks have no end-of-block events: no list is built unless two phases have some.
        IReadOnlyList<EngineEvent> oracle = AggregateOracles(), risk = RunRiskControllers(), writeOff = WriteOffTouched(), expired = ExpireBookOrders();
        IReadOnlyList<EngineEvent> first = risk.Count == 0 ? oracle : oracle.Count == 0 ? risk : [.. oracle, .. risk];
        IReadOnlyList<EngineEvent> third = writeOff.Count == 0 ? first : first.Count == 0 ? writeOff : [.. first, .. writeOff];
        return expired.Count == 0 ? third : third.Count == 0 ? expired : [.. third, .. expired];
    }

    /// <summary>Aggregates every feed with new reports at the current time (first half of <see cref="EndBlock"/>).</summary>
    public IReadOnlyList<EngineEvent> AggregateOracles()
    {
        _events.Clear();
        foreach (int a in _oracleAssets)
        {
            AggregateOrFreeze(_feeds[a]!);
        }

        return TakeEvents();
    }

    /// <summary>Moves the phase's events out of the shared list (the empty array when there are none).</summary>
    private EngineEvent[] TakeEvents()
    {
        EngineEvent[] result = _events.Count == 0 ? [] : [.. _events];
        _events.Clear();
        return result;
    }

    private void AggregatePrice(OracleFeed f)
    {
        f.PricePending = false;
        int a = f.Config.Asset;
        int n = f.ReportPrice.Length;
        Span<long> prices = stackalloc long[n];
        Span<long> confs = stackalloc long[n];
        Span<long> times = stackalloc long[n];
        int fresh = Fresh(f.ReportTime, f.ReportPrice, f.ReportConfidence, f.Config.MaxAge, prices, confs, times);
        int required = f.Config.RequiredReports;

        if (fresh < required)
        {
            _events.Add(new OracleQuorumMissing(a, fresh, required));
            return;
        }

        AssetPool p = _pools[a];
        long old = p.Price;

        // Even count: the middle report nearer the current price (never a mean); the wider confidence.
        long aggregate = Median.NearestTo(prices[..fresh], old);
        long confidence = Median.Upper(confs[..fresh]);
        Median.Sort(times[..fresh]);

        // The required-th newest report: at least that many publishers vouch for a price this recent.
        long vouched = times[fresh - required];
        if (f.Status == FeedStatus.Paused)
        {
            return;
        }

        long bound = MoveBound(f, old);
        long applied = aggregate;
        if (System.Math.Abs(aggregate - old) > bound)
        {
            // A resumed feed walks to the publishers' price at the bound instead of jumping: governance
            // vouched that the market moved, not for whatever the first aggregate after the resume says.
            if (f.Config.PauseOnMaxMove && f.Status != FeedStatus.Resuming)
            {
                f.Status = FeedStatus.Paused;
                _events.Add(new OracleFeedPaused(a, old, aggregate));
                return;
            }

            applied = aggregate > old ? old + bound : old - bound;
            if (f.Status != FeedStatus.Resuming)
            {
                f.Status = FeedStatus.Flagged;
            }

            _events.Add(new OraclePriceClamped(a, aggregate, applied));
        }
        else
        {
            f.Status = FeedStatus.Ok;
        }

        f.AggregateTime = System.Math.Max(f.AggregateTime, vouched);
        f.Confidence = confidence;
        SetFeedPrice(f, applied);
        _events.Add(new PriceUpdated(a, old, applied));
    }

    /// <summary>
    /// Largest move from <paramref name="old"/> the aggregate may make now: min(maxMove, maxMovePerSecond ×
    /// seconds since the last accepted aggregate) of the price, rounded down. Per unit of time, so a run of
    /// one-second blocks walks no faster than one block a minute later would.
    /// </summary>
    private long MoveBound(OracleFeed f, long old)
    {
        long elapsed = System.Math.Max(0, Time - f.PriceTime);
        long fraction = elapsed > f.Config.MaxMove / f.Config.MaxMovePerSecond
            ? f.Config.MaxMove
            : System.Math.Min(f.Config.MaxMove, f.Config.MaxMovePerSecond * elapsed);
        return FullMath.MulDiv(old, fraction, Precision.Ppm, Rounding.Down);
    }

    private void AggregateVolatility(OracleFeed f)
    {
        f.VolatilityPending = false;
        int n = f.VolatilityReport.Length;
        Span<long> vols = stackalloc long[n];
        Span<long> times = stackalloc long[n];
        int fresh = Fresh(f.VolatilityReportTime, f.VolatilityReport, null, f.Config.MaxAge, vols, default, times);

        int required = f.Config.RequiredReports;
        if (fresh < required)
        {
            return;
        }

        // Even count: the higher middle report — the controller never under-reads risk.
        f.ImpliedVolatility = Median.Upper(vols[..fresh]);
        Median.Sort(times[..fresh]);
        f.ImpliedVolatilityTime = times[fresh - required];
        _events.Add(new ImpliedVolatilityUpdated(f.Config.Asset, f.ImpliedVolatility));
    }

    /// <summary>Copies the values (a second series when given, and the times) of the slots whose report is at most <paramref name="maxAge"/> old; returns how many.</summary>
    private int Fresh(long[] reportTimes, long[] values, long[]? second, long maxAge, Span<long> freshValues, Span<long> freshSecond, Span<long> freshTimes)
    {
        int fresh = 0;
        for (int i = 0; i < reportTimes.Length; i++)
        {
            if (reportTimes[i] > 0 && Time - reportTimes[i] <= maxAge)
            {
                freshValues[fresh] = values[i];
                if (second is not null)
                {
                    freshSecond[fresh] = second[i];
                }

                freshTimes[fresh] = reportTimes[i];
                fresh++;
            }
        }

        return fresh;
    }

    /// <summary>Makes <paramref name="price"/> the pool's price and advances the feed's derived series.</summary>
    private void SetFeedPrice(OracleFeed f, long price)
    {
        AssetPool p = _pools[f.Config.Asset];
        f.Accumulate(Time, price);
        f.SampleVolatility(Time, price);
        f.StepStable(Time, price);
        p.Price = price;
        SyncInitialPrices(f);
    }

    /// <summary>Initial health values the feed's asset at min(price, stable) as collateral and max(price, stable) as debt.</summary>
    private void SyncInitialPrices(OracleFeed f)
    {
        AssetPool p = _pools[f.Config.Asset];
        p.SetInitialPrices(System.Math.Min(p.Price, f.StablePrice), System.Math.Max(p.Price, f.StablePrice));
    }

    /// <summary>Index price for funding: the feed's TWAP for publisher-fed assets, else the governance price.</summary>
    private long FundingIndexPrice(int asset, long time) => _feeds[asset] is { } f ? f.Twap(time) : _pools[asset].Price;

    private void WriteOracleCanonical(CanonicalWriter w)
    {
        w.WriteI64(_oracleAssets.Length);
        foreach (int a in _oracleAssets)
        {
            _feeds[a]!.WriteCanonical(w);
        }

        w.WriteI64(_controllers.Length);
        foreach (long t in _controllers)
        {
            w.WriteI64(t);
        }
    }
}
