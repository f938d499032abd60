using Solvent.Core;
using Solvent.Core.Eval;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Node.Views;

/// <summary>One asset pool as the API shows it (amounts in the asset's units, rates as fractions per year).</summary>
public sealed record AssetView(int Id, string Symbol, int Decimals, Amount Price, Amount TotalSupply, Amount TotalDebt, Amount Cash, Amount Insurance, Amount Treasury, Amount BadDebt, Amount Utilization, Amount BorrowRate, Amount SupplyRate, bool Paused);

/// <summary>One perpetual market as the API shows it.</summary>
public sealed record MarketView(int Id, string Symbol, string BaseAsset, Amount IndexPrice, Amount MarkPrice, Amount OpenInterest, Amount LastFundingRate, Amount Insurance, Amount FeePool, bool Paused);

/// <summary>A subaccount key in the API: owner address and number.</summary>
public sealed record AccountRef(string Owner, uint Subaccount);

/// <summary>Header of a block as the API shows it (<c>FirstSequence</c>: sequence of the block's first action when the sequencer cut it; 0 when read back from the log).</summary>
public sealed record BlockHeaderView(long Height, long Time, string ParentRoot, string StateRoot, string AccountsRoot, int Actions, long FirstSequence);

/// <summary>
/// The immutable read model published after each block: readers on any thread see one consistent
/// block without touching the engine the sequencer mutates.
/// </summary>
public sealed record ChainView(BlockHeaderView Head, IReadOnlyList<AssetView> Assets, IReadOnlyList<MarketView> Markets, IReadOnlyList<AccountRef> Liquidatable, long Sequence, int Accounts)
{
    /// <summary>Builds the view of the engine's current state (on the sequencer thread).</summary>
    public static ChainView Of(Engine e, BlockHeaderView head, IReadOnlyList<int> liquidatable, long sequence)
    {
        var assets = new AssetView[e.Pools.Length];
        for (int a = 0; a < assets.Length; a++)
        {
            AssetPool p = e.Pools[a];
            int q = p.Config.QuantumDecimals;
            assets[a] = new AssetView(
                a,
                p.Config.Symbol,
                p.Config.Decimals,
                Amount.Of(p.Price, Precision.PriceDecimals),
                Amount.Of(p.SupplyClaims, q),
                Amount.Of(p.DebtClaims, q),
                Amount.Of(p.Cash, q),
                Amount.Of(p.Insurance, q),
                Amount.Of(p.Treasury, q),
                Amount.Of(p.BadDebt, q),
                RayAmount(p.Utilization),
                RayAmount(p.BorrowRate),
                RayAmount(p.SupplyRate),
                p.Risk.Paused);
        }

        var markets = new MarketView[e.Markets.Length];
        int settle = e.Genesis.QuoteAsset;
        int sq = e.Pools[settle].Config.QuantumDecimals;
        for (int m = 0; m < markets.Length; m++)
        {
            PerpMarket pm = e.Markets[m];
            AssetPool bp = e.Pools[pm.Config.BaseAsset];
            markets[m] = new MarketView(
                m,
                pm.Config.Symbol,
                bp.Config.Symbol,
                Amount.Of(bp.Price, Precision.PriceDecimals),
                Amount.Of(pm.MarkPrice, Precision.PriceDecimals),
                Amount.Of(pm.OpenInterest, pm.BaseQuantumDecimals),
                Amount.Of(pm.LastFundingRate, 9),
                Amount.Of(pm.Insurance, sq),
                Amount.Of(pm.FeePool, sq),
                pm.Risk.Paused);
        }

        var liq = new AccountRef[liquidatable.Count];
        for (int i = 0; i < liq.Length; i++)
        {
            AccountKey k = e.Accounts.KeyOf(liquidatable[i]);
            liq[i] = new AccountRef(k.Owner.ToString(), k.Number);
        }

        return new ChainView(head, assets, markets, liq, sequence, e.Accounts.Count);
    }

    private static Amount RayAmount(UInt128 ray) => Amount.Of((Int128)ray, 27);
}
