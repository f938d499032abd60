namespace Solvent.Core.Config;

/// <summary>Venue-wide liquidation rules.</summary>
/// <param name="CloseFactor">Largest share of one debt a liquidation may repay while the health factor is above <paramref name="FullCloseHealthFactor"/> (ppm; Aave v3: 50%).</param>
/// <param name="FullCloseHealthFactor">Health factor (wad) at or below which the whole debt may be repaid (Aave v3: 0.95).</param>
/// <param name="HealthTarget">Health factor (wad) a partial liquidation aims to restore; a keeper may not repay more than it takes to reach it.</param>
/// <param name="DustThreshold">Smallest debt value (USD × 1e6) a liquidation may leave behind; below it the position must be cleared.</param>
public sealed record LiquidationConfig(long CloseFactor, long FullCloseHealthFactor, long HealthTarget, long DustThreshold);
