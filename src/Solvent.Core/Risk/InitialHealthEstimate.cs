using Solvent.Core.Math;
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
    private const int Shift = 48;
    private readonly ulong[] _supply = new ulong[pools.Length];
    private readonly ulong[] _debt = new ulong[pools.Length];
    private readonly long[] _unit = new long[pools.Length];
    private readonly long[] _version = Enumerable.Repeat(-1L, pools.Length).ToArray();

    /// <summary>Whether the lending initial health of <paramref name="scaled"/> plus <paramref name="extra"/> is provably ≥ 0.</summary>
    public bool ClearlyNonNegative(ReadOnlySpan<long> scaled, Int128 extra)
    {
        long health = 0, bound = 0;
        for (int a = 0; a < scaled.Length; a++)
        {
            long s = scaled[a];
            if (s == 0)
            {
                continue;
            }

            if (_version[a] != pools[a].Version && !Rebuild(a))
            {
                return false;
            }

            ulong abs = s > 0 ? (ulong)s : (ulong)(-s);
            ulong hi = System.Math.BigMul(abs, s > 0 ? _supply[a] : _debt[a], out ulong lo);
            if (hi >= 1UL << 46)
            {
                return false;
            }

            long v = (long)((hi << (64 - Shift)) | (lo >> Shift));
            health += s > 0 ? v : -v;
            bound += (long)(abs >> (Shift - 1)) + _unit[a] + 4;
        }

        return health + extra - bound >= 0;
    }

    private bool Rebuild(int a)
    {
        AssetPool p = pools[a];
        try
        {
            UInt128 den = (UInt128)(ulong)p.ValueDivisor * (ulong)Precision.Ppm;
            long w = p.Risk.Collateral ? p.Risk.InitialAssetWeight : 0;
            UInt128 xs = FullMath.MulDiv(p.SupplyIndex, checked((UInt128)(ulong)p.Price * (ulong)w) << Shift, Precision.Ray, Rounding.Down);
            UInt128 xd = FullMath.MulDiv(p.BorrowIndex, checked((UInt128)(ulong)p.Price * (ulong)p.Risk.InitialLiabilityWeight) << Shift, Precision.Ray, Rounding.Up);
            _supply[a] = checked((ulong)(xs / den));
            _debt[a] = checked((ulong)((xd + den - 1) / den) + 1);
            _unit[a] = (p.Price / p.ValueDivisor) + 1;
            _version[a] = p.Version;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
