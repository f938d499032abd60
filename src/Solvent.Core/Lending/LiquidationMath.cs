using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Lending;

/// <summary>Pure conversions for lending liquidations. Seized amounts round down; the protocol's cut rounds up.</summary>
public static class LiquidationMath
{
    /// <summary>
    /// Collateral worth <paramref name="repay"/> of the debt asset at oracle prices, without bonus (floor);
    /// saturates at long.MaxValue (more than any balance holds), so near-worthless collateral caps the
    /// seizure instead of overflowing.
    /// </summary>
    public static long CollateralFor(AssetPool debt, AssetPool coll, long repay)
    {
        Int128 num = (Int128)repay * debt.Price;
        int e = coll.Config.QuantumDecimals - debt.Config.QuantumDecimals;
        Int128 amount = e >= 0
            ? FullMath.Div(num * (Int128)Precision.Pow10(e), coll.Price, Rounding.Down)
            : FullMath.Div(num, (Int128)coll.Price * (Int128)Precision.Pow10(-e), Rounding.Down);
        return amount > long.MaxValue ? long.MaxValue : (long)amount;
    }

    /// <summary>Debt repayable with <paramref name="collateral"/> worth of seized collateral including the bonus (floor).</summary>
    public static long RepayFor(AssetPool debt, AssetPool coll, long collateral, long penalty)
    {
        Int128 num = (Int128)collateral * coll.Price * Precision.Ppm;
        Int128 den = (Int128)debt.Price * (Precision.Ppm + penalty);
        int e = debt.Config.QuantumDecimals - coll.Config.QuantumDecimals;
        return e >= 0
            ? checked((long)FullMath.Div(num * (Int128)Precision.Pow10(e), den, Rounding.Down))
            : checked((long)FullMath.Div(num, den * (Int128)Precision.Pow10(-e), Rounding.Down));
    }

    /// <summary>Amount of <paramref name="p"/> worth at least <paramref name="value"/> (USD × 1e6), rounded up.</summary>
    public static long AmountForValue(AssetPool p, Int128 value) =>
        checked((long)FullMath.Div(value * p.ValueDivisor, p.Price, Rounding.Up));

    /// <summary>
    /// Value of debt (USD × 1e6) whose repayment, paid for with collateral at (1 + penalty), brings the
    /// health factor to <paramref name="targetWad"/>; null when repaying cannot raise the health factor
    /// (the toxic case: collateral weight × (1 + penalty) ≥ target × liability weight).
    /// </summary>
    public static Int128? ValueToReachTarget(Int128 weightedCollateral, Int128 weightedLiabilities, long targetWad, long liabilityWeight, long collateralWeight, long penalty)
    {
        // (WC − v·w_c·(1+p)) / (WL − v·w_l) = T  ⇒  v = (T·WL − WC) / (T·w_l − w_c·(1+p))
        // Rounded so the repay needed is never under-stated: denominator down, numerator up.
        Int128 denom = FullMath.Div((Int128)targetWad * liabilityWeight, Precision.Wad, Rounding.Down) - FullMath.Div((Int128)collateralWeight * (Precision.Ppm + penalty), Precision.Ppm, Rounding.Up);
        if (denom <= 0)
        {
            return null;
        }

        Int128 numer = FullMath.Div((Int128)targetWad * weightedLiabilities, Precision.Wad, Rounding.Up) - weightedCollateral;
        if (numer <= 0)
        {
            return 0;
        }

        return FullMath.Div(numer * Precision.Ppm, denom, Rounding.Up);
    }
}
