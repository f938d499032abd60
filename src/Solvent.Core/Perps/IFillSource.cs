using Solvent.Core.State;

namespace Solvent.Core.Perps;

/// <summary>A fill for a market order: the quote the taker pays (&gt; 0) or receives (&lt; 0), and the counterparty account.</summary>
/// <param name="Quote">Quote quantums, signed from the taker's side.</param>
/// <param name="Counterparty">Dense id of the account taking the other side.</param>
/// <param name="NewBase">Source state after the fill (the AMM's base reserve).</param>
/// <param name="NewQuote">Source state after the fill (the AMM's quote reserve).</param>
public readonly record struct Fill(long Quote, int Counterparty, UInt128 NewBase, UInt128 NewQuote);

/// <summary>
/// Where market orders are filled. The engine asks for a fill without writing (validation), then
/// commits it. Today the virtual AMM; an order book will produce fills through the same seam.
/// </summary>
public interface IFillSource
{
    /// <summary>Prices a fill of <paramref name="baseDelta"/> (+ buy, − sell) without changing anything.</summary>
    bool TryFill(PerpMarket market, long baseDelta, out Fill fill);

    /// <summary>Writes the source-side state of a fill returned by <see cref="TryFill"/>.</summary>
    void Commit(PerpMarket market, in Fill fill);
}

/// <summary>Fills every order against the market's virtual constant-product AMM.</summary>
public sealed class VirtualAmmFillSource : IFillSource
{
    /// <inheritdoc />
    public bool TryFill(PerpMarket market, long baseDelta, out Fill fill)
    {
        fill = default;
        if (!VirtualAmm.TrySwap(market.BaseReserve, market.QuoteReserve, market.Peg, baseDelta, out VirtualAmm.Swap s))
        {
            return false;
        }

        fill = new Fill(s.Quote, market.AmmAccount, s.NewBase, s.NewQuote);
        return true;
    }

    /// <inheritdoc />
    public void Commit(PerpMarket market, in Fill fill)
    {
        market.BaseReserve = fill.NewBase;
        market.QuoteReserve = fill.NewQuote;
    }
}
