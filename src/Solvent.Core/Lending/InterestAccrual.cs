using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Lending;

/// <summary>
/// Advances one pool's indexes to a block time, Aave-style: the rate over the interval is the one
/// implied by utilization at its start; the borrow index compounds, the supply index grows linearly,
/// and the difference between debt growth and supplier growth is the treasury's.
/// </summary>
public static class InterestAccrual
{
    /// <summary>Accrues <paramref name="p"/> to <paramref name="time"/> (no-op if not later than the last accrual).</summary>
    public static void AccrueTo(AssetPool p, long time)
    {
        long dt = time - p.LastAccrual;
        if (dt <= 0)
        {
            return;
        }

        (UInt128 borrowRate, UInt128 supplyRate) = p.CurrentRates();
        p.BorrowRate = borrowRate;
        p.SupplyRate = supplyRate;
        p.LastAccrual = time;
        if (p.TotalScaledDebt == 0)
        {
            return;
        }

        long debtBefore = p.DebtClaims;
        long supplyBefore = p.SupplyClaims;
        UInt128 oldBorrowIndex = p.BorrowIndex, oldSupplyIndex = p.SupplyIndex;
        try
        {
            p.BorrowIndex = FullMath.MulDivRay(p.BorrowIndex, InterestMath.CompoundedFactor(borrowRate, dt), Rounding.HalfUp);
            p.SupplyIndex = FullMath.MulDivRay(p.SupplyIndex, InterestMath.LinearFactor(supplyRate, dt), Rounding.HalfUp);
            long interest = checked(p.DebtClaims - debtBefore);
            long supplierGain = checked(p.SupplyClaims - supplyBefore);
            // Debt claims round up and supply claims down, so on a tiny interval the suppliers' rounded
            // gain can exceed the rounded interest by a quantum; the treasury never goes below zero for
            // it (CloseBooks books that quantum in the rounding surplus, where the books identity keeps it).
            p.Treasury = System.Math.Max(0, checked(p.Treasury + interest - supplierGain));
        }
        catch (Exception e) when (e is OverflowException or DivideByZeroException)
        {
            // Indexes that no longer fit the books freeze instead of corrupting them.
            p.BorrowIndex = oldBorrowIndex;
            p.SupplyIndex = oldSupplyIndex;
        }
    }
}
