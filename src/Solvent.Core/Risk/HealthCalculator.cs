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
                    ic += FullMath.Div(value * p.Risk.InitialAssetWeight, Precision.Ppm, Rounding.Down);
                    mc += FullMath.Div(value * p.Risk.MaintenanceAssetWeight, Precision.Ppm, Rounding.Down);
                }
            }
            else
            {
                Int128 value = p.ValueOf(p.ScaledToDebt(-s), Rounding.Up);
                dv += value;
                il += FullMath.Div(value * p.Risk.InitialLiabilityWeight, Precision.Ppm, Rounding.Up);
                ml += FullMath.Div(value * p.Risk.MaintenanceLiabilityWeight, Precision.Ppm, Rounding.Up);
            }
        }

        return new Health(cv, dv, ic, il, mc, ml);
    }

    /// <summary>Health with one asset's price replaced (what-if for liquidation prices and stress).</summary>
    public static Health Evaluate(ReadOnlySpan<long> scaled, AssetPool[] pools, int priceAsset, long price)
    {
        AssetPool p = pools[priceAsset];
        long saved = p.Price;
        p.Price = price;
        try
        {
            return Evaluate(scaled, pools);
        }
        finally
        {
            p.Price = saved;
        }
    }

    /// <summary>
    /// The price of <paramref name="asset"/> (USD × 1e8), every other price fixed, at the edge of
    /// liquidation exactly as the engine rounds: for a collateral, the lowest price at which the account
    /// is still not liquidatable (one tick lower liquidates); for a debt, the highest. Null when no
    /// positive price liquidates (or the asset does not move health). Found by bisection because the
    /// engine's rounding, not the closed form, decides.
    /// </summary>
    public static long? LiquidationPrice(ReadOnlySpan<long> scaled, AssetPool[] pools, int asset)
    {
        long s = scaled[asset];
        if (s == 0)
        {
            return null;
        }

        const long MaxPrice = long.MaxValue / 1000;
        bool collateral = s > 0;
        long lo = 1, hi = MaxPrice;
        if (collateral)
        {
            // healthy(p) rises with p: find the smallest healthy price.
            if (Healthy(scaled, pools, asset, lo) || !Healthy(scaled, pools, asset, hi))
            {
                return null;
            }

            while (hi - lo > 1)
            {
                long mid = lo + ((hi - lo) / 2);
                if (Healthy(scaled, pools, asset, mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }

            return hi;
        }

        // A debt: healthy(p) falls with p: find the largest healthy price.
        if (!Healthy(scaled, pools, asset, lo))
        {
            return null;
        }

        if (Healthy(scaled, pools, asset, hi))
        {
            return null;
        }

        while (hi - lo > 1)
        {
            long mid = lo + ((hi - lo) / 2);
            if (Healthy(scaled, pools, asset, mid))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static bool Healthy(ReadOnlySpan<long> scaled, AssetPool[] pools, int asset, long price) =>
        !Evaluate(scaled, pools, asset, price).IsLiquidatable;
}
