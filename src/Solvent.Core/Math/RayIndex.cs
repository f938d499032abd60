namespace Solvent.Core.Math;

/// <summary>
/// A ray index with precomputed reciprocals, so converting between scaled and actual amounts takes a
/// few 64×64 multiplications and no division: the estimate q̂ = ⌊s·M / 2⁶⁴⌋ (M = ⌊idx·2⁶⁴/1e27⌋)
/// is at most one below the true quotient, and one exact 256-bit comparison settles it. Exact in both
/// roundings: agrees with <see cref="FullMath.MulDivRay"/> and <see cref="FullMath.DivByRay"/>. Built
/// once per index change (once per block per asset).
/// </summary>
public readonly struct RayIndex
{
    private readonly UInt128 _toAmount;
    private readonly UInt128 _toScaled;
    private readonly bool _scaleFast;

    /// <summary>Prepares an index (must be positive).</summary>
    public RayIndex(UInt128 index)
    {
        Value = index;
        UInt128 two64 = (UInt128)1 << 64;
        _toAmount = FullMath.MulDiv(index, two64, Precision.Ray, Rounding.Down);
        // Indexes far below a ray (only after near-total haircuts) keep the exact 256-bit division.
        _scaleFast = index >= Precision.Ray >> 60;
        _toScaled = _scaleFast ? FullMath.MulDiv(Precision.Ray, two64, index, Rounding.Down) : 0;
    }

    /// <summary>The index.</summary>
    public UInt128 Value { get; }

    /// <summary>⌊ or ⌈ scaled × index / 1e27 for a non-negative 64-bit scaled amount.</summary>
    public UInt128 Apply(ulong scaled, Rounding rounding)
    {
        if (rounding == Rounding.HalfUp)
        {
            return FullMath.MulDivRay(scaled, Value, rounding);
        }

        return Divide(U256.Multiply(scaled, Value), Estimate(scaled, _toAmount), Precision.Ray, rounding);
    }

    /// <summary>⌊ or ⌈ amount × 1e27 / index for a non-negative 64-bit amount.</summary>
    public UInt128 Scale(ulong amount, Rounding rounding)
    {
        if (rounding == Rounding.HalfUp || !_scaleFast)
        {
            return FullMath.DivByRay((long)amount, Value, rounding);
        }

        return Divide(U256.Multiply(amount, Precision.Ray), Estimate(amount, _toScaled), Value, rounding);
    }

    /// <summary>⌊x·M / 2⁶⁴⌋ for a 128-bit M: never above ⌊x·(true ratio)⌋, at most one below it.</summary>
    private static UInt128 Estimate(ulong x, UInt128 m)
    {
        ulong hi = System.Math.BigMul(x, (ulong)(m & ulong.MaxValue), out _);
        return ((UInt128)x * (ulong)(m >> 64)) + hi;
    }

    /// <summary>Turns an estimate q̂ ∈ {q − 1, q} of ⌊p / d⌋ into the exact quotient, rounded as asked.</summary>
    private static UInt128 Divide(U256 p, UInt128 estimate, UInt128 d, Rounding rounding)
    {
        UInt128 q = estimate;
        if (U256.Compare(U256.Multiply(q + 1, d), p) <= 0)
        {
            q++;
        }

        if (rounding == Rounding.Up && U256.Compare(U256.Multiply(q, d), p) != 0)
        {
            q++;
        }

        return q;
    }
}
