using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>
/// Per-asset 48-bit fixed-point factors for the unweighted oracle value of lending balances (index and
/// price folded in, weight 100%), rebuilt lazily when a pool's price or index changes. Gives a lower
/// bound on Σ signed balance values (supply rounded down, debt up, as equity counts them) from one
/// 64×64 product per balance; callers use it only to wave through accounts whose equity is clearly
/// high enough and take the exact valuation otherwise, so every decision stays the exact one. It
/// declines balances whose amount could reach 2^62: the exact valuation of those may overflow (and
/// reject the action), which a bound must not hide.
/// </summary>
internal sealed class EquityEstimate(AssetPool[] pools)
{
    private readonly ulong[] _supply = new ulong[pools.Length];
    private readonly ulong[] _debt = new ulong[pools.Length];
    private readonly long[] _unit = new long[pools.Length];
    private readonly long[] _maxSupply = new long[pools.Length];
    private readonly long[] _maxDebt = new long[pools.Length];
    private readonly long[] _version = Enumerable.Repeat(-1L, pools.Length).ToArray();

    /// <summary>
    /// A value ≤ Σ over <paramref name="scaled"/> of the exact signed balance value; false when a pool's
    /// factors or a term leave the fast range (the caller then values exactly).
    /// </summary>
    public bool TryLowerBound(ReadOnlySpan<long> scaled, out long lower)
    {
        lower = 0;
        for (int a = 0; a < scaled.Length; a++)
        {
            if (scaled[a] != 0 && !InExactRange(a, scaled[a]))
            {
                return false;
            }
        }

        try
        {
            if (!BalanceValueFactors.TryEstimate(scaled, _supply, _debt, _unit, out long value, out long bound))
            {
                return false;
            }

            lower = checked(value - bound);
            return true;
        }
        catch (OverflowException)
        {
            // Many large balances can overflow the 64-bit sums: undecided, not an error.
            return false;
        }
    }

    /// <summary>Whether the amount of <paramref name="scaled"/> in asset <paramref name="asset"/> is below 2^62 (so its exact value cannot overflow) and the pool's factors are usable.</summary>
    public bool InExactRange(int asset, long scaled)
    {
        if (_version[asset] != pools[asset].Version && !Rebuild(asset))
        {
            return false;
        }

        return scaled >= 0 ? scaled <= _maxSupply[asset] : scaled >= -_maxDebt[asset];
    }

    private bool Rebuild(int a)
    {
        AssetPool p = pools[a];
        try
        {
            (_supply[a], _debt[a], _unit[a]) = BalanceValueFactors.For(p, Precision.Ppm, Precision.Ppm);

            // s ≤ ⌊2^62 · ray / index⌋ − 1 keeps ⌈s · index / ray⌉ ≤ 2^62.
            _maxSupply[a] = MaxScaled(p.SupplyIndex);
            _maxDebt[a] = MaxScaled(p.BorrowIndex);
            _version[a] = p.Version;
            return true;
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            return false;
        }
    }

    private static long MaxScaled(UInt128 index)
    {
        UInt128 max = FullMath.MulDiv((UInt128)1 << 62, Precision.Ray, index, Rounding.Down);
        return max > long.MaxValue ? long.MaxValue : (long)max - 1;
    }
}
