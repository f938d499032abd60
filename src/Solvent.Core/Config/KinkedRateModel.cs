using Solvent.Core.Math;

namespace Solvent.Core.Config;

/// <summary>
/// Aave v3's two-slope curve: below the optimal utilization U*, r = base + slope1·U/U*; above it,
/// r = base + slope1 + slope2·(U − U*)/(1 − U*). All parameters are per-year rays. Rounds down
/// (the curve is a rate, not a payment; the payments round in the protocol's favour).
/// </summary>
public sealed record KinkedRateModel(UInt128 BaseRate, UInt128 Slope1, UInt128 Slope2, UInt128 OptimalUtilization) : IRateModel
{
    /// <inheritdoc />
    public string Kind => "kinked";

    /// <inheritdoc />
    public UInt128 BorrowRate(UInt128 utilization)
    {
        if (utilization <= OptimalUtilization)
        {
            return BaseRate + FullMath.MulDiv(Slope1, utilization, OptimalUtilization, Rounding.Down);
        }

        UInt128 excess = utilization - OptimalUtilization;
        UInt128 span = Precision.Ray - OptimalUtilization;
        return BaseRate + Slope1 + FullMath.MulDiv(Slope2, excess, span, Rounding.Down);
    }

    /// <inheritdoc />
    public void WriteCanonical(State.CanonicalWriter writer)
    {
        writer.WriteString(Kind);
        writer.WriteU128(BaseRate);
        writer.WriteU128(Slope1);
        writer.WriteU128(Slope2);
        writer.WriteU128(OptimalUtilization);
    }
}
