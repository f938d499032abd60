namespace Solvent.Core.Math;

/// <summary>
/// Multiply-then-divide with a full 256-bit intermediate and an explicit rounding direction.
/// Every value and index conversion in the engine goes through here, so no product is ever truncated.
/// </summary>
public static class FullMath
{
    // RAY = 10^27 = 2^27 · 5^27, and 5^27 < 2^63: dividing by a ray is a shift plus one 64-bit division.
    private const ulong FivePow27 = 7450580596923828125UL;

    /// <summary>floor/ceil/half-up of a·b / 10^27.</summary>
    public static UInt128 MulDivRay(UInt128 a, UInt128 b, Rounding rounding)
    {
        U256 p = U256.Multiply(a, b);
        if (rounding == Rounding.HalfUp)
        {
            p = p.Add(Precision.HalfRay);
        }
        else if (rounding == Rounding.Up)
        {
            p = p.Add(Precision.Ray - 1);
        }

        U256 shifted = p.ShiftRight(27, out _);
        U256 q = shifted.DivRem(FivePow27, out _);
        if (!q.FitsUInt128)
        {
            throw new OverflowException("ray product exceeds 128 bits");
        }

        return q.Low128;
    }

    /// <summary>a·b / d rounded as asked, for any 128-bit operands; throws <see cref="OverflowException"/> if the result exceeds 128 bits.</summary>
    public static UInt128 MulDiv(UInt128 a, UInt128 b, UInt128 d, Rounding rounding)
    {
        U256 p = U256.Multiply(a, b);
        if (rounding == Rounding.HalfUp)
        {
            p = p.Add(d / 2);
        }

        UInt128 q = p.DivRem(d, out UInt128 rem);
        if (rounding == Rounding.Up && rem != 0)
        {
            q = checked(q + 1);
        }

        return q;
    }

    /// <summary>a·b / d for non-negative 64-bit inputs with a 128-bit intermediate, rounded as asked.</summary>
    public static long MulDiv(long a, long b, long d, Rounding rounding)
    {
        if (a < 0 || b < 0 || d <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "MulDiv takes non-negative operands and a positive divisor");
        }

        Int128 p = (Int128)a * b;
        Int128 q = Int128.DivRem(p, d).Quotient;
        Int128 r = p - (q * d);
        if (rounding == Rounding.Up && r != 0)
        {
            q++;
        }
        else if (rounding == Rounding.HalfUp && r * 2 >= d)
        {
            q++;
        }

        return checked((long)q);
    }

    /// <summary>Division of non-negative 128-bit values with a named rounding.</summary>
    public static Int128 Div(Int128 n, Int128 d, Rounding rounding)
    {
        if (n < 0 || d <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "Div takes a non-negative numerator and a positive divisor");
        }

        if (n <= long.MaxValue && d <= long.MaxValue)
        {
            // Fast path: 128-bit division is a software routine; most health math fits 64 bits.
            (long q64, long r64) = System.Math.DivRem((long)n, (long)d);
            if (rounding == Rounding.Up && r64 != 0)
            {
                q64++;
            }
            else if (rounding == Rounding.HalfUp && r64 >= d - r64)
            {
                q64++;
            }

            return q64;
        }

        (Int128 q, Int128 r) = Int128.DivRem(n, d);
        if (rounding == Rounding.Up && r != 0)
        {
            q++;
        }
        else if (rounding == Rounding.HalfUp && r * 2 >= d)
        {
            q++;
        }

        return q;
    }

    /// <summary>
    /// a · 10^27 / idx, the amount-to-scaled conversion. Long division in 10^9 chunks keeps every
    /// intermediate under 128 bits for indexes below 100 rays; larger indexes take the slower exact 256-bit path.
    /// </summary>
    public static UInt128 DivByRay(long amount, UInt128 idx, Rounding rounding)
    {
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount));
        }

        if (idx >= Precision.Ray * 100)
        {
            // Rare: an index past 100× growth takes the exact 256-bit path.
            return MulDiv((UInt128)(ulong)amount, Precision.Ray, idx, rounding);
        }

        const ulong Chunk = 1_000_000_000UL;
        UInt128 m = (UInt128)(ulong)amount * Chunk;
        UInt128 q = m / idx;
        UInt128 r = m % idx;
        for (int i = 0; i < 2; i++)
        {
            UInt128 t = checked(r * Chunk);
            q = checked((q * Chunk) + (t / idx));
            r = t % idx;
        }

        if (rounding == Rounding.Up && r != 0)
        {
            q = checked(q + 1);
        }
        else if (rounding == Rounding.HalfUp && r >= idx - r)
        {
            q = checked(q + 1);
        }

        return q;
    }
}
