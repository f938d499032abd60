using Solvent.Core.Math;

namespace Solvent.Core.Perps;

/// <summary>
/// Funding: premium (mark − index)/index sampled each block; per interval, rate = mean premium +
/// clamp(interest − mean premium, ±0.05%), capped by the market's maximum. Rates carry 1e9 precision.
/// The cumulative index is quote quantums × 1e9 per whole base unit, so a position owes size × Δindex.
/// </summary>
public static class FundingMath
{
    /// <summary>Rate precision (1e9 = 100%).</summary>
    public const long RatePrecision = 1_000_000_000;

    /// <summary>The ±0.05% band of the interest/premium difference.</summary>
    public const long ClampBand = 500_000;

    /// <summary>Premium of mark over index, 1e9 precision, rounded toward negative infinity, clamped to ±100× (the rate is capped far below).</summary>
    public static long Premium(long mark, long index) =>
        (long)Int128.Clamp(FloorDiv((Int128)(mark - index) * RatePrecision, index), -100 * RatePrecision, 100 * RatePrecision);

    /// <summary>Rate for one interval from the mean premium.</summary>
    public static long Rate(long meanPremium, long interest, long maxRate) =>
        System.Math.Clamp(meanPremium + System.Math.Clamp(interest - meanPremium, -ClampBand, ClampBand), -maxRate, maxRate);

    /// <summary>Index increment for a rate at an index price (USD × 1e8), quote quantums × 1e9 per whole base.</summary>
    public static Int128 IndexDelta(long rate, long price) =>
        FloorDiv((Int128)rate * price * (long)Precision.Pow10(Precision.ValueDecimals), (long)Precision.Pow10(Precision.PriceDecimals));

    /// <summary>
    /// Funding a position owes since its last settlement (positive = pays), rounded against the
    /// position: payers pay the ceiling, receivers get the floor.
    /// </summary>
    public static long Owed(long size, Int128 indexNow, Int128 indexAtLastSettle, int baseQd)
    {
        if (indexNow == indexAtLastSettle)
        {
            // Settled at this index already (every position right after a trade): nothing owed, no division.
            return 0;
        }

        Int128 n = size * (indexNow - indexAtLastSettle);
        Int128 d = (Int128)Precision.Pow10(baseQd) * RatePrecision;
        return checked((long)(n >= 0 ? FullMath.Div(n, d, Rounding.Up) : -FullMath.Div(-n, d, Rounding.Down)));
    }

    /// <summary>Floor division for signed numerators.</summary>
    public static Int128 FloorDiv(Int128 n, Int128 d)
    {
        if (n >= long.MinValue && n <= long.MaxValue && d >= long.MinValue && d <= long.MaxValue && d != -1)
        {
            long n64 = (long)n, d64 = (long)d;
            long q64 = n64 / d64;
            return (n64 % d64 != 0 && (n64 < 0) != (d64 < 0)) ? q64 - 1 : q64;
        }

        Int128 q = n / d;
        return (n % d != 0 && (n < 0) != (d < 0)) ? q - 1 : q;
    }
}
