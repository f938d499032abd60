using Solvent.Core.State;

namespace Solvent.Core.Perps;

/// <summary>Per-block premium sampling and per-interval funding index updates of one market.</summary>
public static class FundingAccrual
{
    /// <summary>
    /// Samples the premium at this block and, once an interval has passed, moves the funding index: the
    /// mean premium sets the first elapsed interval, any further intervals of a gap pay the interest rate only.
    /// </summary>
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

        // The samples speak for one interval at most. After a quiet gap the others were observed by nobody,
        // so they are charged at a zero premium (the interest rate alone): one sample taken after the gap
        // cannot set the rate for every elapsed interval.
        long quiet = intervals > 1 ? FundingMath.Rate(0, m.Risk.InterestRate, m.Risk.MaxFundingRate) : rate;
        try
        {
            m.FundingIndex = checked(m.FundingIndex + FundingMath.IndexDelta(rate, indexPrice) + (FundingMath.IndexDelta(quiet, indexPrice) * (intervals - 1)));
            rate = quiet;
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
