using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>
/// An asset whose price comes from signed publisher reports instead of governance. Fractions are parts
/// per million; times are seconds. See docs/risk-model.md.
/// </summary>
public sealed record OracleFeedConfig
{
    /// <summary>Asset (dense id) the feed prices.</summary>
    public required int Asset { get; init; }

    /// <summary>Addresses allowed to publish; a report's signer must be one of them. At most 32.</summary>
    public required IReadOnlyList<Address> Publishers { get; init; }

    /// <summary>Fresh reports from distinct publishers needed for an aggregate.</summary>
    public required int Quorum { get; init; }

    /// <summary>
    /// Publishers that may lie or fail at once (f). An aggregate needs at least 2f + 1 fresh reports, so the
    /// honest ones always outnumber the liars and bracket the median; defaults to ⌊(quorum − 1) / 2⌋.
    /// </summary>
    public required int FaultTolerance { get; init; }

    /// <summary>Fresh reports an aggregate needs: the larger of <see cref="Quorum"/> and 2f + 1.</summary>
    public int RequiredReports => System.Math.Max(Quorum, (2 * FaultTolerance) + 1);

    /// <summary>A report older than this is not fresh; a feed whose aggregate is older is stale.</summary>
    public required long MaxAge { get; init; }

    /// <summary>Largest accepted confidence interval, as a fraction of the reported price.</summary>
    public required long MaxConfidence { get; init; }

    /// <summary>Largest move of the aggregate per update, as a fraction of the last price (caps <see cref="MaxMovePerSecond"/>).</summary>
    public required long MaxMove { get; init; }

    /// <summary>
    /// Largest move per second since the last accepted aggregate, as a fraction of the last price: an update
    /// may move min(<see cref="MaxMove"/>, this × seconds elapsed), so one-second blocks cannot compound the bound.
    /// </summary>
    public required long MaxMovePerSecond { get; init; }

    /// <summary>Whether a move beyond <see cref="MaxMove"/> pauses the feed (true) or is clamped and flags it (false).</summary>
    public required bool PauseOnMaxMove { get; init; }

    /// <summary>Window of the time-weighted average price used for funding.</summary>
    public required long TwapWindow { get; init; }

    /// <summary>Largest relative change of the stable price per hour.</summary>
    public required long StableGrowthPerHour { get; init; }

    /// <summary>Sampling interval of log-returns for the volatility estimator.</summary>
    public required long VolatilityInterval { get; init; }

    /// <summary>Weight of the newest squared return in the EWMA (RiskMetrics' 1 − λ).</summary>
    public required long EwmaAlpha { get; init; }

    /// <summary>Annualized volatility the EWMA starts from.</summary>
    public required long InitialVolatility { get; init; }

    /// <summary>An implied-volatility aggregate older than this is ignored by the risk controller.</summary>
    public required long ImpliedVolatilityMaxAge { get; init; }
}
