namespace Solvent.Sim.Running;

/// <summary>What one path produced (USD figures at oracle prices when they happened).</summary>
internal sealed record PathOutcome(
    int Path,
    double BadDebtUsd,
    double RealizedBadDebtUsd,
    double UnrealizedBadDebtUsd,
    int Liquidations,
    double LiquidatedDebtUsd,
    double LiquidationVolumeUsd,
    double InsuranceStartUsd,
    double InsuranceEndUsd,
    double InsuranceUsedUsd,
    double InsuranceMaxDrawdown,
    double AdlVolumeUsd,
    double SocializedUsd,
    bool Exhausted,
    double Efficiency,
    int KeeperSkips,
    int BehaviourActions,
    double MinPriceRatio,
    int RiskAdjustments,
    int OracleClamps,
    int OraclePauses,
    int RepegsRefused,
    IReadOnlyList<SeriesPoint>? Series)
{
    /// <summary>Book size at the start: lending debt plus perp open interest (USD).</summary>
    public double BookUsd { get; init; }

    /// <summary>Funds at the end net of the bad debt they did not pay (<see cref="Exhaustion.NetFundUsd"/>).</summary>
    public double NetFundUsd { get; init; }

    /// <summary>Socialized losses per <c>venue/asset</c> pool (only pools that had one).</summary>
    public IReadOnlyDictionary<string, double> SocializedByPool { get; init; } = new Dictionary<string, double>();

    /// <summary>Hash of the reference price path: paths with equal hashes replayed the same prices.</summary>
    public ulong PriceFingerprint { get; init; }

    /// <summary>Per lending asset and perp market: book, bad debt, liquidations, insurance, socialized losses, ADL.</summary>
    public IReadOnlyList<PathSegment> Segments { get; init; } = [];

    /// <summary>Where and when the path's first bad debt happened (null when it had none).</summary>
    public FirstLoss? FirstLoss { get; init; }

    /// <summary>Per <c>venue/market</c>: the vAMM's inventory PnL over the path (its position marked at the index, end minus start; USD).</summary>
    public IReadOnlyDictionary<string, double> AmmInventoryPnlUsd { get; init; } = new Dictionary<string, double>();

    /// <summary>Per <c>venue/market</c>: funding the vAMM paid over the path (USD; negative = it received), i.e. what traders were paid net of what they paid.</summary>
    public IReadOnlyDictionary<string, double> FundingPaidUsd { get; init; } = new Dictionary<string, double>();

    /// <summary>Perp arbitrage trades over the path.</summary>
    public int ArbitrageTrades { get; init; }

    /// <summary>Perp arbitrage orders the engine refused (the arbitrageurs' margin ran out).</summary>
    public int ArbitrageRefused { get; init; }

    /// <summary>The last refused arbitrage order (code and message), for diagnostics.</summary>
    public string? ArbitrageLastRefusal { get; init; }
}

/// <summary>A path's first bad debt.</summary>
/// <param name="Segment"><c>venue/symbol</c> of the lending asset or perp market that took it.</param>
/// <param name="Seconds">Simulated seconds from the start.</param>
/// <param name="Move">Largest fall of any asset's market price from its start up to then (0.2 = −20%).</param>
public sealed record FirstLoss(string Segment, long Seconds, double Move);

/// <summary>One step of the recorded time series.</summary>
internal sealed record SeriesPoint(
    long Time,
    double[] Reference,
    double[] Market,
    double[] Oracle,
    double[] EnginePrice,
    double CollateralUsd,
    double DebtUsd,
    int AtRisk,
    int Liquidations,
    double LiquidationVolumeUsd,
    double InsuranceUsd,
    double AdlVolumeUsd,
    double BadDebtUsd,
    double Utilization,
    double BorrowApr);
