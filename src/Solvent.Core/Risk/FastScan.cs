using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>
/// Exact liquidatable/healthy classification at scan speed. Per scan, every asset and market gets a
/// 48-bit fixed-point factor (value per scaled unit, weight and index folded in), so an account's
/// maintenance health is estimated with one 64×64 product per exposure, together with a bound on the
/// estimate's error. Only accounts whose estimate lies within the bound of zero are evaluated by the
/// engine's exact arithmetic, so the classification is always exactly the engine's, under the venue's
/// <see cref="HealthModel"/> (the Aave model widens the bound by 1 bp of collateral value). Read-only and
/// thread-safe once built (prices must not change during the scan).
/// </summary>
public sealed class FastScan
{
    private const int Shift = BalanceValueFactors.Shift;
    private readonly Engine _e;
    private readonly ulong[] _supply;
    private readonly ulong[] _debt;
    private readonly long[] _unit;
    private readonly ulong[] _pnl;
    private readonly ulong[] _req;
    private readonly long[] _pnlWeight;
    private readonly long[] _perpUnit;
    private readonly Int128[] _funding;
    private readonly ulong[] _basisPoint;
    private readonly bool _aave;
    private readonly bool _usable;

    /// <summary>Captures the factors at the engine's current prices and indexes.</summary>
    public FastScan(Engine engine)
    {
        _e = engine;
        AssetPool[] pools = engine.Pools;
        _supply = new ulong[pools.Length];
        _debt = new ulong[pools.Length];
        _unit = new long[pools.Length];
        _basisPoint = new ulong[pools.Length];
        _aave = engine.Genesis.HealthModel == HealthModel.Aave;
        _usable = true;
        try
        {
            for (int a = 0; a < pools.Length; a++)
            {
                AssetPool p = pools[a];
                (_supply[a], _debt[a], _unit[a]) = BalanceValueFactors.For(p, p.Risk.Collateral ? p.Risk.MaintenanceAssetWeight : 0, p.Risk.MaintenanceLiabilityWeight);
                if (_aave && p.Risk.Collateral && p.Risk.MaintenanceAssetWeight > 0)
                {
                    // 1 bp of the balance's value per scaled unit, rounded up past the factor's own error.
                    _basisPoint[a] = checked(BalanceValueFactors.For(p, 100, 0).Supply + 2);
                }
            }

            PerpMarket[] markets = engine.Markets;
            _pnl = new ulong[markets.Length];
            _req = new ulong[markets.Length];
            _pnlWeight = new long[markets.Length];
            _perpUnit = new long[markets.Length];
            _funding = new Int128[markets.Length];
            for (int m = 0; m < markets.Length; m++)
            {
                _funding[m] = markets[m].FundingIndex;
                AssetPool b = pools[markets[m].Config.BaseAsset];
                _pnl[m] = checked((ulong)(((UInt128)(ulong)b.Price << Shift) / (ulong)b.ValueDivisor));
                UInt128 den = (UInt128)(ulong)b.ValueDivisor * (ulong)Precision.Ppm;
                _req[m] = checked((ulong)((((UInt128)(ulong)b.Price * (ulong)markets[m].Risk.MaintenanceMarginFraction << Shift) + den - 1) / den) + 1);
                _pnlWeight[m] = markets[m].Risk.PnlMaintenanceWeight;
                _perpUnit[m] = (b.Price / b.ValueDivisor) + 1;
            }
        }
        catch (OverflowException)
        {
            _usable = false;
            _pnl ??= [];
            _req ??= [];
            _pnlWeight ??= [];
            _perpUnit ??= [];
            _funding ??= [];
        }
    }

    /// <summary>Accounts settled exactly because the estimate was too close to call (diagnostics).</summary>
    public long ExactFallbacks;

    /// <summary>Whether subaccount <paramref name="id"/> is liquidatable (maintenance health &lt; 0), exactly as the engine decides.</summary>
    public bool IsLiquidatable(int id)
    {
        if (!_usable || !TryEstimate(id, out Int128 h, out Int128 bound))
        {
            Interlocked.Increment(ref ExactFallbacks);
            return _e.MaintenanceHealthOf(id) < 0;
        }

        if (h - bound >= 0)
        {
            return false;
        }

        if (h + bound < 0)
        {
            return true;
        }

        Interlocked.Increment(ref ExactFallbacks);
        return _e.MaintenanceHealthOf(id) < 0;
    }

    private bool TryEstimate(int id, out Int128 healthOut, out Int128 boundOut)
    {
        // 64-bit accumulation: 128-bit division is a software routine; a single exposure beyond
        // 2^62 value units (USD 4.6 trillion) takes the exact path instead.
        healthOut = 0;
        boundOut = 0;
        if (!BalanceValueFactors.TryEstimate(_e.Accounts.Balances(id), _supply, _debt, _unit, out long health, out long bound)
            || (_aave && !TryAddAaveBound(_e.Accounts.Balances(id), ref bound)))
        {
            return false;
        }

        ReadOnlySpan<long> sizes = _e.Accounts.Sizes(id);
        if (sizes.Length == 0)
        {
            (healthOut, boundOut) = (health, bound);
            return true;
        }

        ReadOnlySpan<long> quotes = _e.Accounts.Quotes(id);
        ReadOnlySpan<Int128> snaps = _e.Accounts.FundingSnapshots(id);
        for (int m = 0; m < sizes.Length; m++)
        {
            long size = sizes[m];
            long quote = quotes[m];
            if (size == 0 && quote == 0)
            {
                continue;
            }

            if (snaps[m] != _funding[m])
            {
                // Unsettled funding: leave this account to the exact path.
                return false;
            }

            ulong abs = size > 0 ? (ulong)size : (ulong)(-size);
            ulong hi = System.Math.BigMul(abs, _pnl[m], out ulong lo);
            ulong hi2 = System.Math.BigMul(abs, _req[m], out ulong lo2);
            if (hi >= 1UL << 46 || hi2 >= 1UL << 46)
            {
                return false;
            }

            long notional = (long)((hi << (64 - Shift)) | (lo >> Shift));
            long pnl = (size > 0 ? notional : -notional) + quote;
            long w = _pnlWeight[m];
            health += pnl >= 0 && w != Precision.Ppm ? (long)((Int128)pnl * w / Precision.Ppm) : pnl;
            health -= (long)((hi2 << (64 - Shift)) | (lo2 >> Shift));
            bound += (long)(abs >> (Shift - 2)) + (2 * _perpUnit[m]) + 8;
        }

        (healthOut, boundOut) = (health, bound);
        return true;
    }

    /// <summary>
    /// Widens the bound by how far Aave-model health can sit from exact health: below it by less than
    /// 1 bp of the collateral value C plus one unit (the floored average), above it by at most one unit
    /// per collateral term (the exact model floors each term). Adds Σ (⌊|s| × bp factor / 2⁴⁸⌋ + 2) + 1,
    /// which covers both.
    /// </summary>
    private bool TryAddAaveBound(ReadOnlySpan<long> scaled, ref long bound)
    {
        long extra = 1;
        for (int a = 0; a < scaled.Length; a++)
        {
            long s = scaled[a];
            if (s <= 0 || _basisPoint[a] == 0)
            {
                continue;
            }

            ulong hi = System.Math.BigMul((ulong)s, _basisPoint[a], out ulong lo);
            if (hi >= 1UL << 46)
            {
                return false;
            }

            extra += (long)((hi << (64 - Shift)) | (lo >> Shift)) + 2;
        }

        bound += extra;
        return true;
    }
}
