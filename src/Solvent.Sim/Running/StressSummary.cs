namespace Solvent.Sim.Running;

/// <summary>What <c>solvent stress run</c> reports (summary.json): distributions over paths and the series path's headline figures.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Seed">Master seed.</param>
/// <param name="Paths">Paths run.</param>
/// <param name="Steps">Steps per path.</param>
/// <param name="StepSeconds">Seconds per step.</param>
/// <param name="Venues">Venues simulated together.</param>
/// <param name="Accounts">Accounts over all venues (generated, or restored from a snapshot).</param>
/// <param name="Shock">Instantaneous shock applied (0 = none).</param>
/// <param name="VolMultiplier">Volatility multiplier applied.</param>
/// <param name="BadDebtUsd">Bad debt (realized write-offs, backstop shortfalls, and underwater accounts left at the end).</param>
/// <param name="Liquidations">Liquidation actions applied.</param>
/// <param name="LiquidationVolumeUsd">Collateral seized / notional taken (liquidations at risk).</param>
/// <param name="InsuranceUsedUsd">Insurance fund paid out.</param>
/// <param name="InsuranceMaxDrawdown">Largest fall of the fund from its running peak, as a fraction.</param>
/// <param name="AdlVolumeUsd">Auto-deleveraged notional.</param>
/// <param name="LiquidationEfficiency">Share of underwater value closed by liquidation before it became bad debt (mean over paths).</param>
/// <param name="InsuranceStartUsd">Fund at the start.</param>
/// <param name="ExhaustedShare">Share of paths that exhausted the insurance funds: funds at the end net of the bad debt they did not pay below zero, over every pool and market by value (<see cref="Exhaustion"/>).</param>
/// <param name="RiskAdjustments">Risk-controller parameter changes (<c>RiskParameterAdjusted</c> events from <c>EndBlock</c>) per path; all zero without controllers.</param>
/// <param name="OracleClamps">Aggregates clamped to the feed's maximum move (<c>OraclePriceClamped</c>) per path; zero for governance-priced venues.</param>
/// <param name="OraclePauses">Feeds paused by a move beyond the maximum (<c>OracleFeedPaused</c>) per path.</param>
/// <param name="RepegsRefused">vAMM repegs Core refused because the market's fee pool could not pay for them (<c>ADJUSTMENT_TOO_EXPENSIVE</c>) per path.</param>
/// <param name="Exhausted"><paramref name="ExhaustedShare"/> over independent price paths (replays of the same prices count once) with its Wilson 95% interval.</param>
/// <param name="NetFundUsd">Funds at the end net of unpaid bad debt (negative = exhausted); see <paramref name="NetFundWorstUsd"/> for the low tail.</param>
/// <param name="NetFundWorstUsd">Lowest net fund over paths.</param>
/// <param name="BookUsd">Book size at the start: lending debt plus perp open interest (USD).</param>
/// <param name="BadDebtShareOfBook">Bad debt / book size.</param>
/// <param name="SocializedUsd">Losses socialized over suppliers (all pools).</param>
/// <param name="SocializedShareOfBook">Socialized losses / book size.</param>
/// <param name="PathsWithSocializedLoss">Paths with a socialized loss in any pool.</param>
/// <param name="SocializedByPool">Per pool that had one: paths with a socialized loss and its amounts.</param>
/// <param name="PathsWithAdl">Paths on which auto-deleveraging ran (amounts: <paramref name="AdlVolumeUsd"/>).</param>
/// <param name="Risk">Tail figures (VaR, CVaR, liquidations-at-risk) in total, per lending asset and per perp market, normalised by book size; socialized losses and ADL with amounts and cause; what broke first.</param>
/// <param name="PathResults">Per-path headline figures in path order.</param>
public sealed record StressSummary(
    string Scenario,
    int Seed,
    int Paths,
    int Steps,
    long StepSeconds,
    int Venues,
    int Accounts,
    double Shock,
    double VolMultiplier,
    Stats BadDebtUsd,
    Stats Liquidations,
    Stats LiquidationVolumeUsd,
    Stats InsuranceUsedUsd,
    Stats InsuranceMaxDrawdown,
    Stats AdlVolumeUsd,
    double LiquidationEfficiency,
    double InsuranceStartUsd,
    double ExhaustedShare,
    Stats RiskAdjustments,
    Stats OracleClamps,
    Stats OraclePauses,
    Stats RepegsRefused,
    ShareInterval Exhausted,
    Stats NetFundUsd,
    double NetFundWorstUsd,
    double BookUsd,
    Stats BadDebtShareOfBook,
    Stats SocializedUsd,
    Stats SocializedShareOfBook,
    int PathsWithSocializedLoss,
    IReadOnlyList<PoolLoss> SocializedByPool,
    int PathsWithAdl,
    RiskSummary Risk,
    IReadOnlyList<PathResult> PathResults);

/// <summary>Losses socialized in one pool over the paths.</summary>
/// <param name="Pool"><c>venue/asset</c>.</param>
/// <param name="Paths">Paths with a socialized loss in this pool.</param>
/// <param name="MeanUsd">Mean loss over those paths.</param>
/// <param name="MaxUsd">Largest loss.</param>
public sealed record PoolLoss(string Pool, int Paths, double MeanUsd, double MaxUsd);

/// <summary>One path's headline figures.</summary>
/// <param name="Path">Path index (its seed derives from the scenario seed and this index).</param>
/// <param name="BadDebtUsd">Bad debt.</param>
/// <param name="Liquidations">Liquidations applied.</param>
/// <param name="InsuranceUsedUsd">Fund paid out.</param>
/// <param name="Exhausted">Whether the funds net of unpaid bad debt fell below zero (<see cref="Exhaustion"/>).</param>
/// <param name="Efficiency">Liquidation efficiency.</param>
/// <param name="NetFundUsd">Funds at the end net of unpaid bad debt.</param>
/// <param name="SocializedUsd">Losses socialized over suppliers (all pools).</param>
/// <param name="AdlVolumeUsd">Auto-deleveraged notional.</param>
/// <param name="LiquidationVolumeUsd">Collateral seized and notional liquidated.</param>
/// <param name="WorstMove">Largest fall of any asset's market price from its start during the path (0.2 = −20%).</param>
/// <param name="FirstLoss">Where, when and after what move the path's first bad debt happened (null when none).</param>
public sealed record PathResult(int Path, double BadDebtUsd, int Liquidations, double InsuranceUsedUsd, bool Exhausted, double Efficiency, double NetFundUsd = 0, double SocializedUsd = 0, double AdlVolumeUsd = 0, double LiquidationVolumeUsd = 0, double WorstMove = 0, FirstLoss? FirstLoss = null);
