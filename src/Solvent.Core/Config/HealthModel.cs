namespace Solvent.Core.Config;

/// <summary>
/// How maintenance (liquidation) health weights a subaccount's collateral. Fixed at genesis for the
/// venue's life: changing it would move every account's liquidation boundary at once.
/// </summary>
public enum HealthModel
{
    /// <summary>Each collateral balance at its own maintenance weight (Σ value × weight, each term floored to 1e-6 USD).</summary>
    Exact = 0,

    /// <summary>
    /// As Aave v3: the value-weighted average maintenance weight, floored to whole basis points, applied
    /// to the total collateral value. Never above <see cref="Exact"/> by more than rounding, and below it
    /// by less than 1 bp of the collateral value.
    /// </summary>
    Aave = 1,
}

/// <summary>Parameter rules that depend on the venue's <see cref="HealthModel"/>.</summary>
public static class HealthModelRules
{
    /// <summary>Smallest gap (ppm) between a collateral's maintenance and initial weight under <see cref="HealthModel.Aave"/>: 1 bp.</summary>
    public const long AaveWeightGap = 100;

    /// <summary>
    /// Under the Aave model the floored average can take up to 1 bp of weight off the maintenance
    /// collateral while initial health stays per asset; a gap of at least 1 bp between the two weights
    /// keeps "initial health ≥ 0" implying "not liquidatable". Null when <paramref name="risk"/> obeys it.
    /// </summary>
    public static string? WeightGapProblem(HealthModel model, AssetRiskParams risk) =>
        model == HealthModel.Aave && risk.Collateral && risk.MaintenanceAssetWeight > 0
            && risk.MaintenanceAssetWeight - risk.InitialAssetWeight < AaveWeightGap
            ? "under healthModel \"aave\" must be at least 0.0001 below maintenanceAssetWeight (the floored average threshold can take off up to 1 bp)"
            : null;
}
