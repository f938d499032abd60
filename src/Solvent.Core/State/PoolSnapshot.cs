namespace Solvent.Core.State;

/// <summary>The mutable scalars of a pool, copied before an action touches it so a failed commit can be undone.</summary>
internal readonly record struct PoolSnapshot(
    long Price,
    UInt128 SupplyIndex,
    UInt128 BorrowIndex,
    long TotalScaledSupply,
    long TotalScaledDebt,
    long Cash,
    long Treasury,
    long Insurance,
    long BadDebt,
    long RoundingSurplus,
    long PerpSettled,
    long InitialAssetPrice,
    long InitialLiabilityPrice)
{
    public static PoolSnapshot Of(AssetPool p) =>
        new(p.Price, p.SupplyIndex, p.BorrowIndex, p.TotalScaledSupply, p.TotalScaledDebt, p.Cash, p.Treasury, p.Insurance, p.BadDebt, p.RoundingSurplus, p.PerpSettled, p.InitialAssetPrice, p.InitialLiabilityPrice);

    public void RestoreTo(AssetPool p)
    {
        p.Price = Price;
        p.SupplyIndex = SupplyIndex;
        p.BorrowIndex = BorrowIndex;
        p.TotalScaledSupply = TotalScaledSupply;
        p.TotalScaledDebt = TotalScaledDebt;
        p.Cash = Cash;
        p.Treasury = Treasury;
        p.Insurance = Insurance;
        p.BadDebt = BadDebt;
        p.RoundingSurplus = RoundingSurplus;
        p.PerpSettled = PerpSettled;
        p.SetInitialPrices(InitialAssetPrice, InitialLiabilityPrice);
    }
}
