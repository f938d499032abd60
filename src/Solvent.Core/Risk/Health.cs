using Solvent.Core.Math;

namespace Solvent.Core.Risk;

/// <summary>
/// A subaccount's health at oracle prices, in USD × 1e6. Collateral sums round down, liability sums
/// round up. Maintenance health &lt; 0 means liquidatable; risk-increasing actions need initial health ≥ 0.
/// </summary>
public readonly record struct Health(
    Int128 CollateralValue,
    Int128 DebtValue,
    Int128 InitialCollateral,
    Int128 InitialLiabilities,
    Int128 MaintenanceCollateral,
    Int128 MaintenanceLiabilities)
{
    /// <summary>Initial-weighted collateral − initial-weighted liabilities.</summary>
    public Int128 InitialHealth => InitialCollateral - InitialLiabilities;

    /// <summary>Maintenance-weighted collateral − maintenance-weighted liabilities.</summary>
    public Int128 MaintenanceHealth => MaintenanceCollateral - MaintenanceLiabilities;

    /// <summary>Unweighted equity: collateral value (with positive PnL) − debt value (with losses).</summary>
    public Int128 Equity => CollateralValue - DebtValue;

    /// <summary>Below maintenance.</summary>
    public bool IsLiquidatable => MaintenanceHealth < 0;

    /// <summary>Initial health if positive, else zero: what can still be borrowed or withdrawn, in value.</summary>
    public Int128 FreeCollateral => InitialHealth > 0 ? InitialHealth : 0;

    /// <summary>Whether there is anything owed (otherwise the health factor is infinite).</summary>
    public bool HasLiabilities => MaintenanceLiabilities > 0;

    /// <summary>
    /// Maintenance-weighted collateral / maintenance-weighted liabilities as a wad, rounded down; null
    /// (infinite) without liabilities. With liability weight 1 it equals Aave v3's health factor.
    /// </summary>
    public Int128? HealthFactorWad =>
        HasLiabilities ? FullMath.Div(MaintenanceCollateral * Precision.Wad, MaintenanceLiabilities, Rounding.Down) : null;

    /// <summary>
    /// <see cref="HealthFactorWad"/> for reports, which must never fail: the same figure, computed with a
    /// 256-bit product, and capped at <see cref="Int128.MaxValue"/> when the factor itself leaves the
    /// 128-bit range (collateral above about 1.7e20 times the liabilities). Null without liabilities.
    /// </summary>
    public Int128? HealthFactorWadCapped
    {
        get
        {
            if (!HasLiabilities || MaintenanceCollateral <= Int128.MaxValue / Precision.Wad)
            {
                return HealthFactorWad;
            }

            UInt128 c = (UInt128)MaintenanceCollateral, l = (UInt128)MaintenanceLiabilities;
            return c / l >= (UInt128)(Int128.MaxValue / Precision.Wad)
                ? Int128.MaxValue
                : (Int128)FullMath.MulDiv(c, Precision.Wad, l, Rounding.Down);
        }
    }
}
