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
}
