using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>Pure health evaluation of a set of scaled balances against the pools' indexes, prices and weights.</summary>
public static class HealthCalculator
{
    /// <summary>Health of the given scaled balances (one per asset, dense order) under <see cref="HealthModel.Exact"/>.</summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools) => Evaluate(scaled, pools, HealthModel.Exact);

    /// <summary>
    /// Health of the given scaled balances under <paramref name="model"/>. Under
    /// <see cref="HealthModel.Aave"/> the maintenance collateral is ⌊C × A / 10⁴⌋ with C the total value
    /// of collateral balances whose maintenance weight is positive and A = ⌊Σ value × weight / (C × 100)⌋
    /// their value-weighted average weight in whole basis points, floored (Aave v3's
    /// <c>avgLiquidationThreshold</c>); everything else is as <see cref="HealthModel.Exact"/>.
    /// </summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools, HealthModel model)
    {
        Int128 cv = 0, dv = 0, ic = 0, il = 0, mc = 0, ml = 0;

        // Aave model: Σ value of positively weighted collateral, and Σ value × weight (ppm).
        Int128 weightedSum = 0, collateralSum = 0;
        for (int a = 0; a < scaled.Length; a++)
        {
            long s = scaled[a];
            if (s == 0)
            {
                continue;
            }

            AssetPool p = pools[a];
            if (s > 0)
            {
                Int128 value = p.ValueOf(p.ScaledToSupply(s), Rounding.Down);
                cv += value;
                if (p.Risk.Collateral)
                {
                    Int128 initValue = p.InitialAssetPrice == p.Price ? value : p.ValueAt(p.ScaledToSupply(s), p.InitialAssetPrice, Rounding.Down);
                    ic += FullMath.Div(initValue * p.Risk.InitialAssetWeight, Precision.Ppm, Rounding.Down);
                    Int128 weighted = checked(value * p.Risk.MaintenanceAssetWeight);
                    mc += FullMath.Div(weighted, Precision.Ppm, Rounding.Down);
                    if (model == HealthModel.Aave && p.Risk.MaintenanceAssetWeight > 0)
                    {
                        weightedSum = checked(weightedSum + weighted);
                        collateralSum = checked(collateralSum + value);
                    }
                }
            }
            else
            {
                Int128 value = p.ValueOf(p.ScaledToDebt(-s), Rounding.Up);
                dv += value;
                Int128 initValue = p.InitialLiabilityPrice == p.Price ? value : p.ValueAt(p.ScaledToDebt(-s), p.InitialLiabilityPrice, Rounding.Up);
                il += FullMath.Div(initValue * p.Risk.InitialLiabilityWeight, Precision.Ppm, Rounding.Up);
                ml += FullMath.Div(value * p.Risk.MaintenanceLiabilityWeight, Precision.Ppm, Rounding.Up);
            }
        }

        if (model == HealthModel.Aave)
        {
            mc = AaveMaintenanceCollateral(weightedSum, collateralSum);
        }

        return new Health(cv, dv, ic, il, mc, ml);
    }

    /// <summary>
    /// ⌊C × ⌊W / (C × 100)⌋ / 10⁴⌋ for W = Σ value × weight (ppm) and C = Σ value: the average weight
    /// floored to whole basis points, both floors in the protocol's favour. Zero without collateral.
    /// </summary>
    internal static Int128 AaveMaintenanceCollateral(Int128 weightedSum, Int128 collateralSum)
    {
        if (collateralSum <= 0)
        {
            return 0;
        }

        Int128 averageBps = weightedSum / checked(collateralSum * 100);
        return checked(collateralSum * averageBps) / 10_000;
    }

    /// <summary>Health with one asset's price replaced (what-if for liquidation prices and stress).</summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools, int priceAsset, long price) =>
        Evaluate(scaled, pools, priceAsset, price, HealthModel.Exact);

    /// <summary>As <see cref="Evaluate(ReadOnlySpan{long}, AssetPool[], int, long)"/> under <paramref name="model"/>.</summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools, int priceAsset, long price, HealthModel model)
    {
        AssetPool p = pools[priceAsset];
        long saved = p.Price, savedAsset = p.InitialAssetPrice, savedLiability = p.InitialLiabilityPrice;
        p.Price = price;
        try
        {
            return Evaluate(scaled, pools, model);
        }
        finally
        {
            p.Price = saved;
            p.SetInitialPrices(savedAsset, savedLiability);
        }
    }
}
