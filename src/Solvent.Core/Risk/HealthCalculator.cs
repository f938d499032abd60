using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>Pure health evaluation of a set of scaled balances against the pools' indexes, prices and weights.</summary>
public static class HealthCalculator
{
    /// <summary>Health of the given scaled balances (one per asset, dense order).</summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools)
    {
        Int128 cv = 0, dv = 0, ic = 0, il = 0, mc = 0, ml = 0;
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
                    mc += FullMath.Div(value * p.Risk.MaintenanceAssetWeight, Precision.Ppm, Rounding.Down);
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

        return new Health(cv, dv, ic, il, mc, ml);
    }

    /// <summary>Health with one asset's price replaced (what-if for liquidation prices and stress).</summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools, int priceAsset, long price)
    {
        AssetPool p = pools[priceAsset];
        long saved = p.Price, savedAsset = p.InitialAssetPrice, savedLiability = p.InitialLiabilityPrice;
        p.Price = price;
        try
        {
            return Evaluate(scaled, pools);
        }
        finally
        {
            p.Price = saved;
            p.SetInitialPrices(savedAsset, savedLiability);
        }
    }
}
