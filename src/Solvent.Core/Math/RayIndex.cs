namespace Solvent.Core.Math;

/// <summary>
/// A ray index split once as idx = hi·1e18 + lo, so converting a 64-bit scaled amount needs two
/// 64×64 products and two 128-bit divisions instead of a 256-bit product: the hot path of every
/// health evaluation. Exact: agrees with <see cref="FullMath.MulDivRay"/> in both roundings.
/// </summary>
public readonly struct RayIndex
{
    private const ulong E9 = 1_000_000_000UL;
    private const ulong E18 = 1_000_000_000_000_000_000UL;
    private static readonly UInt128 E27 = (UInt128)E18 * E9;

    private readonly ulong _hi;
    private readonly ulong _lo;
    private readonly bool _fast;

    /// <summary>Splits an index.</summary>
    public RayIndex(UInt128 index)
    {
        Value = index;
        UInt128 hi = index / E18;
        _fast = hi <= ulong.MaxValue;
        _hi = _fast ? (ulong)hi : 0;
        _lo = (ulong)(index % E18);
    }

    /// <summary>The index.</summary>
    public UInt128 Value { get; }

    /// <summary>floor or ceil of scaled × index / 1e27 for a non-negative 64-bit scaled amount.</summary>
    public UInt128 Apply(ulong scaled, Rounding rounding)
    {
        if (!_fast || rounding == Rounding.HalfUp)
        {
            return FullMath.MulDivRay(scaled, Value, rounding);
        }

        // s·idx = s·hi·1e18 + s·lo; with A = s·hi = A1·1e9 + A0: s·idx / 1e27 = A1 + (A0·1e18 + s·lo) / 1e27.
        UInt128 a = (UInt128)scaled * _hi;
        UInt128 a1 = a / E9;
        ulong a0 = (ulong)(a - (a1 * E9));
        UInt128 c = ((UInt128)a0 * E18) + ((UInt128)scaled * _lo);
        UInt128 q = c / E27;
        UInt128 result = a1 + q;
        return rounding == Rounding.Up && c != q * E27 ? result + 1 : result;
    }
}
