using Solvent.Core.Math;

namespace Solvent.Core.Perps;

/// <summary>
/// The oracle price band every vAMM fill must lie in: |average fill − index| ≤ band × index, the
/// oracle-bounded fill price of dYdX v4 liquidations and Drift's oracle price bands. The vAMM's mark
/// is moved by trades alone, so any one owner can push it; the index cannot be pushed by trading, so a
/// fill tied to it bounds what a pushed mark can transfer between accounts.
/// </summary>
public static class FillPriceBand
{
    /// <summary>
    /// Whether a fill of |<paramref name="size"/>| base quantums for |<paramref name="quote"/>| quote
    /// quantums lies within <paramref name="band"/> (ppm) of <paramref name="index"/>. Compared exactly in
    /// value units (quote × divisor against index × size); the allowance is rounded down, so a fill on
    /// the edge by less than a unit is refused.
    /// </summary>
    public static bool Contains(long quote, long size, long index, long valueDivisor, long band)
    {
        // Same comparison in 64-bit halves when both sides fit: deviation ≤ ⌊fair × band / 10⁶⌋ holds
        // exactly when deviation × 10⁶ ≤ fair × band, as the deviation is an integer.
        ulong absQuote = (ulong)System.Math.Abs(quote), absSize = (ulong)System.Math.Abs(size);
        if (valueDivisor > 0 && index >= 0 && band >= 0)
        {
            ulong fillHi = System.Math.BigMul(absQuote, (ulong)valueDivisor, out ulong fill64);
            ulong fairHi = System.Math.BigMul((ulong)index, absSize, out ulong fair64);
            if (fillHi == 0 && fairHi == 0)
            {
                ulong deviation64 = fill64 >= fair64 ? fill64 - fair64 : fair64 - fill64;
                ulong lhsHi = System.Math.BigMul(deviation64, (ulong)Precision.Ppm, out ulong lhsLo);
                ulong rhsHi = System.Math.BigMul(fair64, (ulong)band, out ulong rhsLo);
                return lhsHi < rhsHi || (lhsHi == rhsHi && lhsLo <= rhsLo);
            }
        }

        return ContainsWide(quote, size, index, valueDivisor, band);
    }

    /// <summary><see cref="Contains"/> in 128/256-bit arithmetic for any operands.</summary>
    internal static bool ContainsWide(long quote, long size, long index, long valueDivisor, long band)
    {
        Int128 fill = checked((Int128)System.Math.Abs(quote) * valueDivisor);
        UInt128 fair = checked((UInt128)(ulong)index * (ulong)System.Math.Abs(size));
        UInt128 allowed = FullMath.MulDiv(fair, (ulong)band, Precision.Ppm, Rounding.Down);
        UInt128 deviation = fill >= (Int128)fair ? (UInt128)(fill - (Int128)fair) : (UInt128)((Int128)fair - fill);
        return deviation <= allowed;
    }

    /// <summary>The average fill price (USD × 1e8 per whole base unit), rounded against the taker, for messages.</summary>
    public static long Average(long quote, long size, long valueDivisor) =>
        (long)FullMath.Div((Int128)System.Math.Abs(quote) * valueDivisor, System.Math.Abs(size), size > 0 ? Rounding.Up : Rounding.Down);
}
