using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Lending;
using Solvent.Core.Oracle;
using Solvent.Core.Perps;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// Block-start and end-of-block code must never throw: an exception there would fault the node on this
/// block and on every replay of it, so no later block — not even the governance fix — could be applied.
/// Each pool, market, feed and controller is therefore advanced on its own; one whose arithmetic leaves
/// the integer range is restored and frozen (docs/protocol.md, "Freezing"), and the others go on.
/// Governance bounds (docs/protocol.md, "Governance bounds") keep every reachable value from getting here;
/// this is the defence behind them.
/// </summary>
public sealed partial class Engine
{
    // Reused for the feed copy taken before each aggregation, so the end of a block allocates nothing for it.
    private readonly ByteBuffer _feedCopy = new(1024);
    private CanonicalWriter? _feedCopyWriter;

    /// <summary>Interest accrual of one pool; a pool whose indexes or books would overflow keeps them and earns nothing for the interval.</summary>
    private static void AccrueOrFreeze(AssetPool p, long time)
    {
        PoolSnapshot saved = PoolSnapshot.Of(p);
        try
        {
            InterestAccrual.AccrueTo(p, time);
            p.CloseBooks();
        }
        catch (Exception e) when (IsArithmetic(e))
        {
            saved.RestoreTo(p);
            p.LastAccrual = time;
        }
    }

    /// <summary>
    /// Premium sampling and funding of one market; a market whose funding would overflow is restored and
    /// charges a zero rate for the whole intervals elapsed, so positions settle nothing until governance
    /// brings its parameters or its AMM back into range.
    /// </summary>
    private void AdvanceFundingOrFreeze(PerpMarket m, long time)
    {
        PerpMarketSnapshot saved = m.Save();
        long interval = PerpConfig.FundingInterval;
        try
        {
            FundingAccrual.Advance(m, FundingIndexPrice(m.Config.BaseAsset, time), time, interval);
        }
        catch (Exception e) when (IsArithmetic(e))
        {
            m.Restore(saved);
            long elapsed = time - m.LastFundingTime;
            if (elapsed >= interval)
            {
                m.LastFundingTime += elapsed / interval * interval;
                m.LastFundingRate = 0;
                m.PremiumSum = 0;
                m.PremiumSamples = 0;
            }
        }
    }

    /// <summary>
    /// Aggregation of one feed; a feed whose aggregation throws is restored whole (reports, TWAP, volatility,
    /// stable price), keeps its last accepted price and is paused (risk-increasing actions on it are
    /// refused) until governance resumes it.
    /// </summary>
    private void AggregateOrFreeze(OracleFeed f)
    {
        if (!f.VolatilityPending && !f.PricePending)
        {
            return;
        }

        AssetPool p = _pools[f.Config.Asset];
        long price = p.Price, initialAsset = p.InitialAssetPrice, initialLiability = p.InitialLiabilityPrice;
        int events = _events.Count;
        _feedCopyWriter ??= new CanonicalWriter(_feedCopy);
        _feedCopy.Clear();
        f.WriteCanonical(_feedCopyWriter);
        _feedCopyWriter.Flush();
        try
        {
            if (f.VolatilityPending)
            {
                AggregateVolatility(f);
            }

            if (f.PricePending)
            {
                AggregatePrice(f);
            }
        }
        catch (Exception e) when (IsArithmetic(e))
        {
            _events.RemoveRange(events, _events.Count - events);
            var copy = new CanonicalReader(_feedCopy.Written);
            f.ReadCanonical(ref copy);
            p.Price = price;
            p.SetInitialPrices(initialAsset, initialLiability);
            f.PricePending = false;
            f.VolatilityPending = false;
            f.Status = FeedStatus.Paused;
            _events.Add(new OracleFeedPaused(f.Config.Asset, price, price));
        }
    }

    /// <summary>One risk-controller step; a step whose arithmetic overflows changes nothing (the parameters stay where they are).</summary>
    private void StepOrSkip(RiskControllerConfig c, long dt)
    {
        int events = _events.Count;
        try
        {
            Step(c, dt);
        }
        catch (Exception e) when (IsArithmetic(e))
        {
            _events.RemoveRange(events, _events.Count - events);
        }
    }

    /// <summary>Overflow, division by zero, and the argument checks of clamps and casts: what out-of-range values raise.</summary>
    private static bool IsArithmetic(Exception e) => e is ArithmeticException or ArgumentException;
}
