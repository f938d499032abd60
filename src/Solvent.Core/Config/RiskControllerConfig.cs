namespace Solvent.Core.Config;

/// <summary>
/// Governance bounds for the volatility-driven risk controller of one asset or one market. Margins are
/// expressed as fractions (ppm) that rise with risk: a market's initial and maintenance margin fractions,
/// or an asset's haircuts 1 − initialAssetWeight and 1 − maintenanceAssetWeight. The genesis parameters
/// are the calm baseline, designed for <see cref="ReferenceVolatility"/>. See docs/risk-model.md.
/// </summary>
public sealed record RiskControllerConfig
{
    /// <summary>Asset the controller adjusts (dense id), or -1 for a market controller.</summary>
    public required int Asset { get; init; }

    /// <summary>Market the controller adjusts (dense id), or -1 for an asset controller.</summary>
    public required int Market { get; init; }

    /// <summary>Asset whose oracle feed supplies the volatility (the asset itself, or the market's base).</summary>
    public required int Feed { get; init; }

    /// <summary>Annualized volatility the baseline parameters were set for; below it nothing tightens.</summary>
    public required long ReferenceVolatility { get; init; }

    /// <summary>Lowest initial margin (fraction or haircut).</summary>
    public required long InitialMin { get; init; }

    /// <summary>Highest initial margin (fraction or haircut).</summary>
    public required long InitialMax { get; init; }

    /// <summary>Lowest maintenance margin (fraction or haircut).</summary>
    public required long MaintenanceMin { get; init; }

    /// <summary>Highest maintenance margin (fraction or haircut).</summary>
    public required long MaintenanceMax { get; init; }

    /// <summary>Largest change of the initial margin per hour (absolute fraction).</summary>
    public required long MaxInitialChangePerHour { get; init; }

    /// <summary>Largest change of the maintenance margin per hour (absolute fraction); smaller, so maintenance follows slowly.</summary>
    public required long MaxMaintenanceChangePerHour { get; init; }

    /// <summary>Seconds between controller steps.</summary>
    public required long Interval { get; init; }
}
