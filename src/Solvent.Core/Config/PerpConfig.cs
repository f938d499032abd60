namespace Solvent.Core.Config;

/// <summary>Venue-wide perpetual rules.</summary>
/// <param name="FundingInterval">Seconds between funding settlements (3600).</param>
/// <param name="LiquidationBuffer">A keeper may close only enough to restore maintenance health ≥ buffer × remaining requirement (ppm).</param>
/// <param name="BackstopDelayBlocks">Blocks a flagged account may stay liquidatable before the backstop may take it.</param>
/// <param name="DustNotional">Positions below this notional (USD × 1e6) are liquidated whole.</param>
public sealed record PerpConfig(long FundingInterval, long LiquidationBuffer, long BackstopDelayBlocks, long DustNotional)
{
    /// <summary>Defaults when genesis has no perps block.</summary>
    public static readonly PerpConfig Default = new(3600, 100_000, 10, 10_000_000);
}
