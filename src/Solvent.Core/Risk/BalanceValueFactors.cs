using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>
/// 48-bit fixed-point weighted value per scaled unit for one asset: index, price and a weight folded
/// into one factor, computed shift-first so the factor loses at most one unit (supply rounded down,
/// debt up). Shared by the liquidation scan (maintenance weights) and the initial-health checks.
/// </summary>
internal static class BalanceValueFactors
{
    /// <summary>Fractional bits of every factor.</summary>
    public const int Shift = 48;

    /// <summary>Factors for a pool: supply at <paramref name="assetWeight"/>, debt at <paramref name="liabilityWeight"/>, and one quantum's value (+1) for error bounds. Throws <see cref="OverflowException"/> beyond range.</summary>
    public static (ulong Supply, ulong Debt, long Unit) For(AssetPool p, long assetWeight, long liabilityWeight) =>
        For(p, assetWeight, liabilityWeight, p.Price, p.Price);

    /// <summary>As <see cref="For(AssetPool, long, long)"/> with separate prices for supply and debt (initial health under a stable price).</summary>
    public static (ulong Supply, ulong Debt, long Unit) For(AssetPool p, long assetWeight, long liabilityWeight, long assetPrice, long liabilityPrice)
    {
        UInt128 den = (UInt128)(ulong)p.ValueDivisor * (ulong)Precision.Ppm;
        UInt128 xs = FullMath.MulDiv(p.SupplyIndex, Shifted(assetPrice, assetWeight), Precision.Ray, Rounding.Down);
        UInt128 xd = FullMath.MulDiv(p.BorrowIndex, Shifted(liabilityPrice, liabilityWeight), Precision.Ray, Rounding.Up);
        return (checked((ulong)(xs / den)), checked((ulong)((xd + den - 1) / den) + 1), Unit(p, System.Math.Max(assetWeight, liabilityWeight), System.Math.Max(assetPrice, liabilityPrice)));
    }

    /// <summary>
    /// Error allowance per balance for the exact conversions' roundings: the scaled-to-amount rounding
    /// moves the amount by up to one quantum, worth up to price / divisor and then multiplied by the
    /// weight, so above 100% the allowance grows with the weight (rounded up, against the account).
    /// </summary>
    private static long Unit(AssetPool p, long weight, long price)
    {
        long perQuantum = (price / p.ValueDivisor) + 1;
        Int128 weighted = ((Int128)perQuantum + 1) * weight;
        return weight <= Precision.Ppm ? perQuantum : checked((long)((weighted + Precision.Ppm - 1) / Precision.Ppm));
    }

    /// <summary>price × weight × 2^Shift; a shift that would drop high bits throws, so no factor is silently wrong.</summary>
    private static UInt128 Shifted(long price, long weight)
    {
        UInt128 x = checked((UInt128)(ulong)price * (ulong)weight);
        return x >> (128 - Shift) != 0 ? throw new OverflowException("price × weight leaves the factor range") : x << Shift;
    }

    /// <summary>
    /// Σ weighted values of signed scaled balances (supply +, debt −) and a bound on its error; false
    /// when a term leaves the 64-bit fast range (callers then take the exact path).
    /// </summary>
    public static bool TryEstimate(ReadOnlySpan<long> scaled, ulong[] supply, ulong[] debt, long[] unit, out long health, out long bound)
    {
        health = 0;
        bound = 0;
        for (int a = 0; a < scaled.Length; a++)
        {
            long s = scaled[a];
            if (s == 0)
            {
                continue;
            }

            ulong abs = s > 0 ? (ulong)s : (ulong)(-s);
            ulong hi = System.Math.BigMul(abs, s > 0 ? supply[a] : debt[a], out ulong lo);
            if (hi >= 1UL << 46)
            {
                return false;
            }

            long v = (long)((hi << (64 - Shift)) | (lo >> Shift));
            health += s > 0 ? v : -v;
            bound += (long)(abs >> (Shift - 1)) + unit[a] + 4;
        }

        return true;
    }
}
