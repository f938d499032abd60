namespace Solvent.Core.Config;

/// <summary>
/// A borrow-rate curve: per-year borrow rate (ray) as a function of utilization (ray). An interface so
/// adaptive curves (Morpho's AdaptiveCurveIrm) can be added without touching the pool.
/// </summary>
public interface IRateModel
{
    /// <summary>Stable identifier written into the state encoding ("kinked", ...).</summary>
    string Kind { get; }

    /// <summary>Per-year borrow rate in ray for a utilization in ray (0 ≤ u ≤ 1e27).</summary>
    UInt128 BorrowRate(UInt128 utilization);

    /// <summary>Appends the model's parameters to the canonical state encoding.</summary>
    void WriteCanonical(State.CanonicalWriter writer);
}
