using Solvent.Core.Math;
using Solvent.Core.Perps;

namespace Solvent.Core.Config;

/// <summary>
/// Governable parameters of a perpetual market. Fractions are parts per million; OI bounds are USD × 1e6;
/// the OI cap is in base quantums; funding rates are per funding interval (genesis perps.fundingInterval, 1 h by default) with 1e9 precision.
/// </summary>
public sealed record PerpRiskParams
{
    /// <summary>Largest open-interest bound or cap governance may set (long.MaxValue / 4, as genesis).</summary>
    public const long MaxAmount = long.MaxValue / 4;

    /// <summary>Base initial margin fraction.</summary>
    public required long InitialMarginFraction { get; init; }

    /// <summary>Maintenance margin fraction.</summary>
    public required long MaintenanceMarginFraction { get; init; }

    /// <summary>Open-interest notional where the initial margin fraction starts to grow (dYdX v4 OIMF lower cap).</summary>
    public required long OpenInterestLower { get; init; }

    /// <summary>Open-interest notional where the initial margin fraction reaches 100%.</summary>
    public required long OpenInterestUpper { get; init; }

    /// <summary>Drift's IMF factor (1e6 precision): initial margin grows with √size.</summary>
    public required long ImfFactor { get; init; }

    /// <summary>Maximum long open interest, base quantums (0 = none).</summary>
    public required long OpenInterestCap { get; init; }

    /// <summary>Largest funding rate per interval in either direction (1e9 = 100%).</summary>
    public required long MaxFundingRate { get; init; }

    /// <summary>Interest component of funding per interval (1e9 = 100%).</summary>
    public required long InterestRate { get; init; }

    /// <summary>Penalty on liquidated notional.</summary>
    public required long LiquidationPenalty { get; init; }

    /// <summary>Share of that penalty paid to the market's insurance fund.</summary>
    public required long ProtocolShare { get; init; }

    /// <summary>Taker fee on traded notional, to the market's fee pool.</summary>
    public required long TakerFee { get; init; }

    /// <summary>Weight of positive unrealized PnL for initial health.</summary>
    public required long PnlInitialWeight { get; init; }

    /// <summary>Weight of positive unrealized PnL for maintenance health.</summary>
    public required long PnlMaintenanceWeight { get; init; }

    /// <summary>
    /// Smallest order and smallest open position, base quantums (a multiple of the step; 0 = one step). An
    /// order below it is accepted only when it closes the position exactly (dYdX v4 / Drift <c>min_order_size</c>).
    /// </summary>
    public long MinOrderSize { get; init; }

    /// <summary>
    /// Largest deviation of a fill's average price from the index price, as a fraction of the index
    /// (dYdX v4's oracle-bounded fillable price, Drift's oracle price bands): a vAMM mark pushed
    /// further than this cannot be traded at. Default 10%; at most 50%.
    /// </summary>
    public long FillPriceBand { get; init; } = DefaultFillPriceBand;

    /// <summary>Default <see cref="FillPriceBand"/>: 10%.</summary>
    public const long DefaultFillPriceBand = 100_000;

    /// <summary>Largest accepted <see cref="FillPriceBand"/>: 50%.</summary>
    public const long MaxFillPriceBand = 500_000;

    /// <summary>Paused markets accept only reduce-only trades and liquidations.</summary>
    public bool Paused { get; init; }

    /// <summary>Null when consistent; else the field and the problem.</summary>
    public (string Field, string Message)? Validate()
    {
        const long One = Precision.Ppm;
        if (MaintenanceMarginFraction <= 0 || MaintenanceMarginFraction > InitialMarginFraction)
        {
            return ("maintenanceMarginFraction", "must be positive and at most initialMarginFraction");
        }

        if (InitialMarginFraction > One)
        {
            return ("initialMarginFraction", "must be at most 1");
        }

        if (OpenInterestLower < 0 || OpenInterestUpper <= OpenInterestLower)
        {
            return ("openInterestUpper", "must exceed openInterestLower ≥ 0");
        }

        if (LiquidationPenalty < 0 || LiquidationPenalty >= MaintenanceMarginFraction)
        {
            return ("liquidationPenalty", "must be below maintenanceMarginFraction, or liquidating would lower health");
        }

        if (ProtocolShare < 0 || ProtocolShare > One || TakerFee < 0 || TakerFee > One / 10)
        {
            return ("protocolShare", "protocolShare in [0,1], takerFee in [0,0.1]");
        }

        if (PnlInitialWeight < 0 || PnlInitialWeight > PnlMaintenanceWeight || PnlMaintenanceWeight > One)
        {
            return ("pnlInitialWeight", "0 ≤ pnlInitialWeight ≤ pnlMaintenanceWeight ≤ 1");
        }

        if (MinOrderSize < 0 || (OpenInterestCap > 0 && MinOrderSize > OpenInterestCap))
        {
            return ("minOrderSize", "must be between 0 and openInterestCap (when capped)");
        }

        if (MaxFundingRate < 0 || ImfFactor < 0 || OpenInterestCap < 0 || InterestRate < -MaxFundingRate)
        {
            return ("maxFundingRate", "rates, factors and caps must not be negative");
        }

        // Upper bounds keep funding and margin arithmetic inside 64/128 bits for any reachable price,
        // so no value governance can sign halts the chain at the next funding boundary (docs/protocol.md, governance bounds).
        if (MaxFundingRate > FundingMath.RatePrecision || InterestRate > FundingMath.RatePrecision)
        {
            return ("maxFundingRate", "maxFundingRate and interestRate must be at most 1 (100% per funding interval)");
        }

        if (ImfFactor > One)
        {
            return ("imfFactor", "must be at most 1");
        }

        if (OpenInterestUpper > MaxAmount || OpenInterestCap > MaxAmount)
        {
            return ("openInterestUpper", "openInterestUpper and openInterestCap must be at most 2^61 − 1");
        }

        if (FillPriceBand <= 0 || FillPriceBand > MaxFillPriceBand)
        {
            return ("fillPriceBand", "must be positive and at most 0.5");
        }

        return null;
    }
}
