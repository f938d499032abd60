namespace Solvent.Core.Config;

/// <summary>Venue-wide liquidation rules.</summary>
/// <param name="CloseFactor">Largest share of one debt a liquidation may repay while the health factor is above <paramref name="FullCloseHealthFactor"/> (ppm; Aave v3: 50%).</param>
/// <param name="FullCloseHealthFactor">Health factor (wad) at or below which the whole debt may be repaid (Aave v3: 0.95).</param>
/// <param name="HealthTarget">Health factor (wad) a partial liquidation aims to restore; a keeper may not repay more than it takes to reach it.</param>
/// <param name="DustThreshold">Smallest debt value (USD × 1e6) a liquidation may leave behind; below it the position must be cleared.</param>
public sealed record LiquidationConfig(long CloseFactor, long FullCloseHealthFactor, long HealthTarget, long DustThreshold)
{
    /// <summary>Largest health target (wad): 9, as genesis accepts.</summary>
    public const long MaxHealthTarget = 9 * Math.Precision.Wad;

    /// <summary>Largest dust threshold (USD × 1e6): long.MaxValue / 4, as genesis accepts.</summary>
    public const long MaxDustThreshold = long.MaxValue / 4;

    /// <summary>Checks the bounds genesis and governance share; null when valid, else a message.</summary>
    public string? Validate() =>
        CloseFactor <= 0 || CloseFactor > Math.Precision.Ppm || FullCloseHealthFactor < 0 || FullCloseHealthFactor > Math.Precision.Wad
        || HealthTarget < Math.Precision.Wad || HealthTarget > MaxHealthTarget || DustThreshold < 0 || DustThreshold > MaxDustThreshold
            ? "closeFactor in (0,1], fullCloseHealthFactor in [0,1], healthTarget in [1,9], dustThreshold in [0, 2^61 − 1] USD × 1e6"
            : null;
}
