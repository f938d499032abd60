using Solvent.Core.Math;

namespace Solvent.Core.Perps;

/// <summary>Margin fractions of perpetual positions (parts per million).</summary>
public static class MarginMath
{
    /// <summary>
    /// dYdX v4 open-interest IMF: IMF + (1 − IMF)·clamp((OI − lower)/(upper − lower), 0, 1), rounded up.
    /// Base 5%, caps $40M–$100M, OI $70M → 52.5%.
    /// </summary>
    public static long OpenInterestImf(long imf, long openInterestNotional, long lower, long upper)
    {
        if (openInterestNotional <= lower)
        {
            return imf;
        }

        if (openInterestNotional >= upper)
        {
            return Precision.Ppm;
        }

        return imf + FullMath.MulDiv(Precision.Ppm - imf, openInterestNotional - lower, upper - lower, Rounding.Up);
    }

    /// <summary>
    /// Drift's size premium: margin ratio (1e4) grows as 0.8·ratio + √(10·size₁ₑ₉ + 1)·imfFactor / 1e7,
    /// never below the ratio. Computed in Drift's own units, returned in ppm.
    /// </summary>
    public static long SizePremiumFraction(long fraction, long absSize, int baseQd, long imfFactor)
    {
        if (imfFactor == 0)
        {
            return fraction;
        }

        UInt128 size9 = baseQd <= 9 ? (UInt128)(ulong)absSize * Precision.Pow10(9 - baseQd) : (UInt128)(ulong)absSize / Precision.Pow10(baseQd - 9);
        long ratio4 = fraction / 100;
        UInt128 sqrt = IntSqrt.Floor(checked((size9 * 10) + 1));
        UInt128 premium4 = (UInt128)(ulong)(ratio4 - (ratio4 / 5)) + (sqrt * (ulong)imfFactor / 10_000_000UL);
        long premium = premium4 >= Precision.Ppm / 100 ? Precision.Ppm : (long)premium4 * 100;
        return System.Math.Max(fraction, premium);
    }
}
