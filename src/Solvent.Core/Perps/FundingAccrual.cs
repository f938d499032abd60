using Solvent.Core.State;

namespace Solvent.Core.Perps;

/// <summary>Per-block premium sampling and per-interval funding index updates of one market.</summary>
public static class FundingAccrual
{
    /// <summary>Samples the premium at this block and, once an interval has passed, moves the funding index.</summary>
    public static void Advance(PerpMarket m, long indexPrice, long time, long interval)
    {
        if (time <= m.LastFundingTime && m.PremiumSamples > 0)
        {
            return;
        }

        try
        {
            m.PremiumSum = checked(m.PremiumSum + FundingMath.Premium(m.MarkPrice, indexPrice));
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            // Reserves or prices beyond range sample no premium rather than halting the chain.
        }

        m.PremiumSamples++;
        long elapsed = time - m.LastFundingTime;
        if (elapsed < interval)
        {
            return;
        }

        long intervals = elapsed / interval;
        long mean = (long)FundingMath.FloorDiv(m.PremiumSum, m.PremiumSamples);
        long rate = FundingMath.Rate(mean, m.Risk.InterestRate, m.Risk.MaxFundingRate);
        try
        {
            m.FundingIndex = checked(m.FundingIndex + (FundingMath.IndexDelta(rate, indexPrice) * intervals));
        }
        catch (OverflowException)
        {
            // An index beyond 128 bits freezes funding rather than corrupting positions; governance must intervene.
            rate = 0;
        }

        m.LastFundingTime += intervals * interval;
        m.LastFundingRate = rate;
        m.PremiumSum = 0;
        m.PremiumSamples = 0;
    }
}
