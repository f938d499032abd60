namespace Solvent.Core.Math;

/// <summary>Integer square root (floor), deterministic Newton iteration; no floating point.</summary>
public static class IntSqrt
{
    /// <summary>floor(√n).</summary>
    public static UInt128 Floor(UInt128 n)
    {
        if (n < 2)
        {
            return n;
        }

        if (n <= ulong.MaxValue)
        {
            return Floor64((ulong)n);
        }

        // Start above the root: 2^ceil(bits/2).
        int bits = 128 - (int)UInt128.LeadingZeroCount(n);
        UInt128 x = UInt128.One << ((bits + 1) / 2);
        while (true)
        {
            UInt128 y = (x + (n / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }

    /// <summary>floor(√n) for 64-bit n: Newton in 64-bit arithmetic from an estimate above the root.</summary>
    public static ulong Floor64(ulong n)
    {
        if (n < 2)
        {
            return n;
        }

        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(n);
        ulong x = 1UL << ((bits + 1) / 2);
        while (true)
        {
            ulong y = (x + (n / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }
}
