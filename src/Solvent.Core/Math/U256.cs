namespace Solvent.Core.Math;

/// <summary>
/// Minimal unsigned 256-bit value for the products of two 128-bit numbers (ray × ray, amount × ray).
/// Only what <see cref="FullMath"/> needs: a full product, addition of a small constant, shifts and division.
/// </summary>
internal readonly struct U256
{
    public readonly ulong L0, L1, L2, L3;

    public U256(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public bool FitsUInt128 => L2 == 0 && L3 == 0;

    public UInt128 Low128 => new(L1, L0);

    public static U256 Multiply(UInt128 a, UInt128 b)
    {
        ulong a0 = Lo(a), a1 = Lo(a >> 64), b0 = Lo(b), b1 = Lo(b >> 64);
        ulong h00 = System.Math.BigMul(a0, b0, out ulong l00);
        ulong h01 = System.Math.BigMul(a0, b1, out ulong l01);
        ulong h10 = System.Math.BigMul(a1, b0, out ulong l10);
        ulong h11 = System.Math.BigMul(a1, b1, out ulong l11);

        // Column sums in 128-bit so carries are explicit and never lost.
        UInt128 c1 = (UInt128)h00 + l01 + l10;
        UInt128 c2 = (UInt128)h01 + h10 + l11 + Lo(c1 >> 64);
        UInt128 c3 = (UInt128)h11 + Lo(c2 >> 64);
        return new U256(l00, Lo(c1), Lo(c2), Lo(c3));
    }

    public U256 Add(UInt128 v)
    {
        UInt128 s0 = (UInt128)L0 + Lo(v);
        UInt128 s1 = (UInt128)L1 + Lo(v >> 64) + Lo(s0 >> 64);
        UInt128 s2 = (UInt128)L2 + Lo(s1 >> 64);
        UInt128 s3 = (UInt128)L3 + Lo(s2 >> 64);
        if ((s3 >> 64) != 0)
        {
            throw new OverflowException("256-bit addition overflowed");
        }

        return new U256(Lo(s0), Lo(s1), Lo(s2), Lo(s3));
    }

    /// <summary>Low 64 bits, truncating on purpose.</summary>
    public static ulong Lo(UInt128 v) => unchecked((ulong)v);

    /// <summary>Three-way comparison.</summary>
    public static int Compare(in U256 a, in U256 b)
    {
        if (a.L3 != b.L3)
        {
            return a.L3 < b.L3 ? -1 : 1;
        }

        if (a.L2 != b.L2)
        {
            return a.L2 < b.L2 ? -1 : 1;
        }

        if (a.L1 != b.L1)
        {
            return a.L1 < b.L1 ? -1 : 1;
        }

        return a.L0 == b.L0 ? 0 : (a.L0 < b.L0 ? -1 : 1);
    }

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Shift right by 0 &lt; n &lt; 64 bits, returning the bits shifted out.</summary>
    public U256 ShiftRight(int n, out ulong shiftedOut)
    {
        shiftedOut = L0 & ((1UL << n) - 1);
        return new U256(
            (L0 >> n) | (L1 << (64 - n)),
            (L1 >> n) | (L2 << (64 - n)),
            (L2 >> n) | (L3 << (64 - n)),
            L3 >> n);
    }

    /// <summary>Division by a 64-bit divisor, limb by limb (schoolbook base 2^64).</summary>
    public U256 DivRem(ulong d, out ulong rem)
    {
        UInt128 r = 0;
        UInt128 cur = (r << 64) | L3;
        ulong q3 = Lo(cur / d);
        r = cur % d;
        cur = (r << 64) | L2;
        ulong q2 = Lo(cur / d);
        r = cur % d;
        cur = (r << 64) | L1;
        ulong q1 = Lo(cur / d);
        r = cur % d;
        cur = (r << 64) | L0;
        ulong q0 = Lo(cur / d);
        rem = Lo(cur % d);
        return new U256(q0, q1, q2, q3);
    }

    /// <summary>Division by a 128-bit divisor by binary long division; quotient must fit 128 bits. Used off the hot path (per asset per block).</summary>
    public UInt128 DivRem(UInt128 d, out UInt128 rem)
    {
        if (d == 0)
        {
            throw new DivideByZeroException();
        }

        if ((d >> 64) == 0)
        {
            U256 q = DivRem(Lo(d), out ulong r64);
            if (!q.FitsUInt128)
            {
                throw new OverflowException("quotient exceeds 128 bits");
            }

            rem = r64;
            return q.Low128;
        }

        UInt128 quotient = 0;
        UInt128 r = 0;
        for (int i = 255; i >= 0; i--)
        {
            bool top = (r >> 127) != 0;
            r = (r << 1) | GetBit(i);
            if (top || r >= d)
            {
                // With the top bit shifted out, r wrapped; the difference is still exact modulo 2^128.
                r = unchecked(r - d);
                if (i >= 128)
                {
                    throw new OverflowException("quotient exceeds 128 bits");
                }

                quotient |= UInt128.One << i;
            }
        }

        rem = r;
        return quotient;
    }

    private UInt128 GetBit(int i)
    {
        ulong limb = (i >> 6) switch { 0 => L0, 1 => L1, 2 => L2, _ => L3 };
        return (limb >> (i & 63)) & 1UL;
    }
}
