namespace Solvent.Core.Risk;

/// <summary>
/// Finds where maintenance health crosses zero as one price moves, all else fixed, by bisection over
/// integer prices under the engine's own rounding. Maintenance health is linear in any one price
/// (weights and margin fractions are constants, sizes fixed), so it crosses at most once.
/// </summary>
public static class LiquidationPriceSearch
{
    /// <summary>Largest price searched (USD × 1e8).</summary>
    public const long MaxPrice = long.MaxValue / 1000;

    /// <summary>
    /// For health rising with price (collateral, longs): the lowest price still not liquidatable. For
    /// health falling with price (debts, shorts): the highest. Null when no price in [1, maxPrice] crosses.
    /// </summary>
    public static long? Find(Func<long, bool> healthyAt, long maxPrice = MaxPrice)
    {
        long lo = 1, hi = System.Math.Clamp(maxPrice, 2, MaxPrice);
        bool lowHealthy = healthyAt(lo), highHealthy = healthyAt(hi);
        if (lowHealthy == highHealthy)
        {
            return null;
        }

        bool rising = highHealthy;
        while (hi - lo > 1)
        {
            long mid = lo + ((hi - lo) / 2);
            if (healthyAt(mid) == rising)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return rising ? hi : lo;
    }
}
