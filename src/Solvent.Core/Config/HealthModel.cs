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
