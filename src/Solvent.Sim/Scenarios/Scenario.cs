using Solvent.Core.Config;

namespace Solvent.Sim.Scenarios;

/// <summary>A parsed, validated stress scenario (see docs/stress.md for the file format).</summary>
public sealed record Scenario
{
    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Master seed: population, and per-path seeds derived from it.</summary>
    public required int Seed { get; init; }

    /// <summary>Monte Carlo paths (1 for a deterministic replay).</summary>
    public required int Paths { get; init; }

    /// <summary>Simulated seconds.</summary>
    public required long DurationSeconds { get; init; }

    /// <summary>Seconds per step (one simulated block).</summary>
    public required long StepSeconds { get; init; }

    internal IReadOnlyList<VenueSpec> Venues { get; init; } = [];

    internal PriceSpec Prices { get; init; } = null!;

    internal OracleSpec Oracle { get; init; } = null!;

    internal IReadOnlyDictionary<string, PoolSpec> Pools { get; init; } = new Dictionary<string, PoolSpec>();

    internal KeeperSpec Keepers { get; init; } = null!;

    internal BehaviourSpec Behaviour { get; init; } = null!;

    /// <summary>Perp arbitrageurs per venue (null = none: the vAMMs move only with trades and repegs).</summary>
    internal ArbitrageSpec? Arbitrage { get; init; }

    /// <summary>Seconds run before the measured window on calm prices (no shock, no volatility multiplier; for a historical replay, the history before <c>prices.start</c>), with keepers and borrowers active; nothing in it is counted.</summary>
    public long BurnInSeconds { get; init; }

    /// <summary>Number of measured steps.</summary>
    public int Steps => (int)(DurationSeconds / StepSeconds);

    /// <summary>Steps of burn-in before the measured window.</summary>
    public int BurnInSteps => (int)(BurnInSeconds / StepSeconds);
}

/// <summary>
/// One venue: its genesis, its starting book (a generated <see cref="Population"/> or a node's
/// <see cref="Snapshot"/>, exactly one of them) and insurance seeding. <see cref="RiskChange"/> is what
/// sweeps did to the genesis' risk parameters, replayed on a snapshot's parameters (which replace the genesis').
/// </summary>
internal sealed record VenueSpec(
    string Name,
    Genesis Genesis,
    PopulationSpec? Population,
    IReadOnlyDictionary<int, double> InsuranceUsd,
    IReadOnlyDictionary<int, double> MarketInsuranceUsd,
    SnapshotSpec? Snapshot = null,
    Func<Genesis, Genesis>? RiskChange = null);

/// <summary>A population loaded from a node's snapshot: the engine state at <paramref name="Height"/>, checked against its root when loaded.</summary>
/// <param name="Source">The snapshot file read (for reports).</param>
/// <param name="Height">Block height of the snapshot.</param>
/// <param name="EngineState">The engine's snapshot bytes (<c>Engine.SaveSnapshot</c>).</param>
/// <param name="StateRoot">The state root the snapshot recorded.</param>
/// <param name="Seed">Seed for which accounts are responsive (behaviour share).</param>
internal sealed record SnapshotSpec(string Source, long Height, byte[] EngineState, byte[] StateRoot, int Seed);

/// <summary>Generated borrowers and traders.</summary>
internal sealed record PopulationSpec(
    int Accounts,
    IReadOnlyList<(int Asset, double Weight)> Collateral,
    IReadOnlyList<(int Asset, double Weight)> Debt,
    Distribution SizeUsd,
    Distribution Ltv,
    double PerpShare,
    IReadOnlyList<(int Market, double Weight)> Markets,
    Distribution Leverage,
    double LongShare,
    int Seed)
{
    /// <summary>
    /// Fitted books: the health factor each borrower starts at (maintenance-weighted collateral over
    /// maintenance-weighted debt), per collateral asset id; replaces <see cref="Ltv"/> when set.
    /// </summary>
    public IReadOnlyDictionary<int, Distribution>? HealthFactor { get; init; }
}

/// <summary>Price model and its parameters; <see cref="Shock"/> and <see cref="VolMultiplier"/> wrap any model.</summary>
internal sealed record PriceSpec
{
    public required string Model { get; init; }

    /// <summary>Per modelled asset (engine asset id): file (historical), drift/vol/jumps (gbm), garch params.</summary>
    public required IReadOnlyList<AssetPriceSpec> Assets { get; init; }

    /// <summary>Correlation matrix over <see cref="Assets"/> (Monte Carlo models).</summary>
    public double[,]? Correlation { get; init; }

    /// <summary>Historical replay start (Unix seconds; 0 = file start).</summary>
    public long Start { get; init; }

    /// <summary>Instantaneous relative drop applied at <see cref="ShockAtSeconds"/> (0 = none).</summary>
    public double Shock { get; init; }

    public long ShockAtSeconds { get; init; }

    /// <summary>Scales every log-return of the path (1 = as modelled).</summary>
    public double VolMultiplier { get; init; } = 1;

    /// <summary>Ramp model: total relative move over the run (e.g. −0.3).</summary>
    public double RampMove { get; init; }

    /// <summary>Interval the Monte Carlo parameters describe (the calibration's candle, 3600 s): jumps are drawn per interval and shorter steps are Brownian-bridged inside it.</summary>
    public long CalibrationSeconds { get; init; } = 3600;

    /// <summary>Market-wide jumps per year: every asset with jump sizes jumps together, in the same direction.</summary>
    public double CommonJumpIntensity { get; init; }

    /// <summary>Probability that a market-wide jump goes up.</summary>
    public double CommonJumpUpProbability { get; init; } = 0.5;

    /// <summary>Jump clustering (Hawkes branching ratio, below 1): expected extra jumps each jump triggers; base intensities are scaled by 1 − it so the mean rate stays the calibrated one.</summary>
    public double JumpExcitation { get; init; }

    /// <summary>Half-life of the excitation a jump leaves.</summary>
    public long JumpExcitationHalfLifeSeconds { get; init; } = 10_800;
}

internal sealed record AssetPriceSpec(int Asset, string Symbol, string? File, double Mu, double Sigma, double JumpIntensity, double JumpMean, double JumpStd, double GarchOmega, double GarchAlpha, double GarchBeta)
{
    /// <summary>Smallest jump (log) of the double-exponential jump model (peaks over this threshold).</summary>
    public double JumpMinimum { get; init; }

    /// <summary>Probability that the asset's own jump goes up.</summary>
    public double JumpUpProbability { get; init; } = 0.5;

    /// <summary>Mean excess (log) of an up jump over <see cref="JumpMinimum"/>; with <see cref="JumpDownMean"/> 0 as well the normal <c>jumpMean</c>/<c>jumpStd</c> sizes apply.</summary>
    public double JumpUpMean { get; init; }

    /// <summary>Mean excess (log) of a down jump over <see cref="JumpMinimum"/>.</summary>
    public double JumpDownMean { get; init; }

    /// <summary>Whether jump sizes are double-exponential (else normal).</summary>
    public bool DoubleExponential => JumpUpMean > 0 || JumpDownMean > 0;

    /// <summary>The validated candles of <see cref="File"/> (historical model), read once when the scenario loads.</summary>
    public Prices.CandleSeries? Candles { get; init; }
}

/// <summary>Chainlink-style feed: rounds every interval, each reporting the market price of <c>lag</c> seconds earlier, published when it deviates enough or the heartbeat is due.</summary>
internal sealed record OracleSpec(long IntervalSeconds, long LagSeconds, double Deviation, long HeartbeatSeconds);

/// <summary>Constant-product pool for one asset: USD depth per side at the start and how fast arbitrage pulls it back to the reference price.</summary>
internal sealed record PoolSpec(double DepthUsd, double RecoveryHalfLifeSeconds);

/// <summary>Liquidation bots.</summary>
internal sealed record KeeperSpec(int Count, Distribution LatencySeconds, double CapitalUsd, double MinProfitUsd, double GasUsd)
{
    /// <summary>Windows (seconds from the start, [from, to)) in which no keeper acts: an outage, congestion that keeps their transactions out.</summary>
    public IReadOnlyList<(long From, long To)> Outages { get; init; } = [];

    /// <summary>Windows in which gas costs the given USD per transaction instead of <see cref="GasUsd"/> (Black Thursday: small liquidations stop paying).</summary>
    public IReadOnlyList<(long From, long To, double GasUsd)> GasSpikes { get; init; } = [];

    /// <summary>Whether keepers are out at <paramref name="offset"/> seconds from the start.</summary>
    public bool Absent(long offset)
    {
        foreach ((long from, long to) in Outages)
        {
            if (offset >= from && offset < to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gas per transaction at <paramref name="offset"/> seconds from the start.</summary>
    public double GasAt(long offset)
    {
        foreach ((long from, long to, double gas) in GasSpikes)
        {
            if (offset >= from && offset < to)
            {
                return gas;
            }
        }

        return GasUsd;
    }
}

/// <summary>Perp arbitrageurs of each venue: capital (USD of the settlement asset), position cap as a multiple of it per market, and the gap beyond the taker fee they wait for.</summary>
internal sealed record ArbitrageSpec(double CapitalUsd, double MaxLeverage, double Band);

/// <summary>Borrowers who react before liquidation.</summary>
internal sealed record BehaviourSpec(double Share, double HealthFactor, double TargetHealthFactor, double TopUpShare, long CheckIntervalSeconds);
