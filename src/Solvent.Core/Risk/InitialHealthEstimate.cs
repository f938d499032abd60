using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>
/// Per-asset 48-bit fixed-point factors for the lending part of initial health (index, price and
/// initial weight folded in), rebuilt lazily when a pool's price, index or parameters change. A
/// balance's weighted value is then one 64×64 product, with a known error bound; callers use the
/// estimate only to wave through accounts that are clearly above zero and fall back to exact
/// arithmetic otherwise, so every decision is the engine's exact one.
/// </summary>
internal sealed class InitialHealthEstimate(AssetPool[] pools)
{
    private readonly ulong[] _supply = new ulong[pools.Length];
    private readonly ulong[] _debt = new ulong[pools.Length];
    private readonly long[] _unit = new long[pools.Length];
    private readonly long[] _version = Enumerable.Repeat(-1L, pools.Length).ToArray();

    /// <summary>Whether the lending initial health of <paramref name="scaled"/> plus <paramref name="extra"/> is provably ≥ 0.</summary>
    public bool ClearlyNonNegative(ReadOnlySpan<long> scaled, Int128 extra)
    {
        for (int a = 0; a < scaled.Length; a++)
        {
            if (scaled[a] != 0 && _version[a] != pools[a].Version && !Rebuild(a))
            {
                return false;
            }
        }

        try
        {
            return BalanceValueFactors.TryEstimate(scaled, _supply, _debt, _unit, out long health, out long bound)
                && health + extra - bound >= 0;
        }
        catch (OverflowException)
        {
            // Several balances near the 64-bit term limit overflow the sums: undecided, so the exact check
            // (in 128 bits) decides rather than the overflow rejecting the action.
            return false;
        }
    }

    private bool Rebuild(int a)
    {
        AssetPool p = pools[a];
        try
        {
            (_supply[a], _debt[a], _unit[a]) = BalanceValueFactors.For(p, p.Risk.Collateral ? p.Risk.InitialAssetWeight : 0, p.Risk.InitialLiabilityWeight, p.InitialAssetPrice, p.InitialLiabilityPrice);
            _version[a] = p.Version;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
