namespace Solvent.Core.Math;

/// <summary>
/// Natural logarithm of a ratio of positive integers in wad (1e18) fixed point, by the binary-logarithm
/// squaring method: integer part from the bit length, then one fractional bit per squaring. Pure integer
/// arithmetic, so every node gets the same bits; used for log-returns in the volatility estimator.
/// </summary>
public static class LogMath
{
    private const int Frac = 62;

    // ln 2 × 2^64, rounded down (0.693147180559945309417232121458176568…).
    private static readonly UInt128 Ln2Q64 = UInt128.Parse("12786308645202655659", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>|ln(a / b)| in wad, rounded down (error below 1e-17); a and b positive.</summary>
    public static long AbsLnRatio(long a, long b)
    {
        if (a <= 0 || b <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "ratio terms must be positive");
        }

        if (a < b)
        {
            (a, b) = (b, a);
        }

        // x = a / b ≥ 1. Integer part n: shift b up until 2^n·b ≤ a < 2^(n+1)·b.
        int n = 0;
        UInt128 ua = (ulong)a, ub = (ulong)b;
        while ((ub << (n + 1)) <= ua)
        {
            n++;
        }

        // y = a / (2^n · b) in [1, 2), Q62.
        UInt128 y = (ua << Frac) / (ub << n);
        UInt128 one = UInt128.One << Frac, two = UInt128.One << (Frac + 1);

        // log2(x) in Q64: integer part then fractional bits.
        UInt128 log2 = (UInt128)(ulong)n << 64;
        for (int bit = 63; bit >= 0 && y > one; bit--)
        {
            y = (y * y) >> Frac;
            if (y >= two)
            {
                y >>= 1;
                log2 |= UInt128.One << bit;
            }
        }

        // ln x = log2 x · ln 2; scale Q64·Q64 → wad.
        UInt128 hi = log2 >> 32, lo = log2 & uint.MaxValue;
        UInt128 lnQ64 = (hi * Ln2Q64) >> 32;
        lnQ64 += (lo * Ln2Q64) >> 64;
        UInt128 whole = lnQ64 >> 64, frac = lnQ64 & ulong.MaxValue;
        return checked((long)((whole * (ulong)Precision.Wad) + ((frac * (ulong)Precision.Wad) >> 64)));
    }
}
