namespace Solvent.Core.Config;

/// <summary>
/// The governable risk parameters of one asset. Weights, penalty and shares are parts per million
/// (1_000_000 = 100%); caps are in the asset's quantums (0 = no cap).
/// </summary>
public sealed record AssetRiskParams
{
    /// <summary>Weight of a positive balance for initial health (≤ maintenance weight ≤ 1).</summary>
    public required long InitialAssetWeight { get; init; }

    /// <summary>Weight of a positive balance for maintenance health (Aave's liquidation threshold).</summary>
    public required long MaintenanceAssetWeight { get; init; }

    /// <summary>Weight of a negative balance for initial health (≥ maintenance liability weight ≥ 1).</summary>
    public required long InitialLiabilityWeight { get; init; }

    /// <summary>Weight of a negative balance for maintenance health.</summary>
    public required long MaintenanceLiabilityWeight { get; init; }

    /// <summary>Bonus paid in this collateral on liquidation, over the repaid value.</summary>
    public required long LiquidationPenalty { get; init; }

    /// <summary>Share of that bonus that goes to the insurance fund.</summary>
    public required long ProtocolShare { get; init; }

    /// <summary>Maximum total supplied, quantums; 0 = uncapped.</summary>
    public required long SupplyCap { get; init; }

    /// <summary>Maximum total borrowed, quantums; 0 = uncapped.</summary>
    public required long BorrowCap { get; init; }

    /// <summary>Whether balances of this asset may go negative.</summary>
    public required bool Borrowable { get; init; }

    /// <summary>Whether positive balances count toward health (weights apply only if true).</summary>
    public required bool Collateral { get; init; }

    /// <summary>Share of borrow interest kept by the protocol treasury.</summary>
    public required long ReserveFactor { get; init; }

    /// <summary>Borrow-rate curve.</summary>
    public required IRateModel RateModel { get; init; }

    /// <summary>
    /// Smallest debt (quantums) a borrow may create or a repay or liquidation leave behind; 0 = none.
    /// Compound III's <c>baseBorrowMin</c>: a debt is either zero or at least this, so none is too small to liquidate.
    /// </summary>
    public long MinBorrow { get; init; }

    /// <summary>When paused, risk-increasing actions in this asset are rejected (supply, borrow, transfer); repay, withdraw and liquidation still work.</summary>
    public bool Paused { get; init; }

    /// <summary>Checks the fields and their relations (genesis and governance updates alike); null when valid, else the offending field and why.</summary>
    public (string Field, string Message)? Validate()
    {
        const long One = Math.Precision.Ppm;
        if (InitialAssetWeight < 0 || InitialAssetWeight > MaintenanceAssetWeight)
        {
            return ("initialAssetWeight", "must be between 0 and maintenanceAssetWeight");
        }

        if (MaintenanceAssetWeight > One)
        {
            return ("maintenanceAssetWeight", "must be at most 1");
        }

        if (MaintenanceLiabilityWeight < One)
        {
            return ("maintenanceLiabilityWeight", "must be at least 1");
        }

        if (InitialLiabilityWeight < MaintenanceLiabilityWeight)
        {
            return ("initialLiabilityWeight", "must be at least maintenanceLiabilityWeight");
        }

        if (LiquidationPenalty < 0 || LiquidationPenalty > One / 2)
        {
            return ("liquidationPenalty", "must be between 0 and 0.5");
        }

        if (ProtocolShare < 0 || ProtocolShare > One)
        {
            return ("protocolShare", "must be between 0 and 1");
        }

        if (ReserveFactor < 0 || ReserveFactor >= One)
        {
            return ("reserveFactor", "must be between 0 and 1 (exclusive)");
        }

        if (SupplyCap < 0)
        {
            return ("supplyCap", "must not be negative");
        }

        if (BorrowCap < 0)
        {
            return ("borrowCap", "must not be negative");
        }

        if (MinBorrow < 0 || (BorrowCap > 0 && MinBorrow > BorrowCap))
        {
            return ("minBorrow", "must be between 0 and borrowCap (when capped)");
        }

        if (Collateral && MaintenanceAssetWeight > 0 && (One + LiquidationPenalty) * (long)MaintenanceAssetWeight > One * One)
        {
            // A liquidation at LTV above 1/(1+penalty) worsens health; with weight·(1+penalty) > 1
            // every liquidation of an account just below the threshold would be toxic (= 1 is neutral).
            return ("liquidationPenalty", "maintenanceAssetWeight × (1 + liquidationPenalty) must not exceed 1");
        }

        if (RateModel is not KinkedRateModel k)
        {
            // Only the kinked curve has documented bounds (genesis supports no other kind).
            return ("rateModel", "must be a kinked rate model");
        }

        UInt128 maxRate = Math.Precision.Ray * 100;
        if (k.OptimalUtilization == 0 || k.OptimalUtilization >= Math.Precision.Ray)
        {
            return ("rateModel.optimalUtilization", "must be strictly between 0 and 1");
        }

        if (k.BaseRate > maxRate || k.Slope1 > maxRate || k.Slope2 > maxRate)
        {
            return ("rateModel", "rates must be at most 100 (10,000% a year)");
        }

        if (InitialLiabilityWeight > 10 * One)
        {
            return ("initialLiabilityWeight", "must be at most 10");
        }

        return null;
    }
}
