namespace Solvent.Core.Perps.Book;

/// <summary>Which side of the book an order trades: a buy takes asks and rests as a bid.</summary>
public enum OrderSide : byte
{
    /// <summary>Buys base: matches asks, rests among the bids.</summary>
    Buy = 0,

    /// <summary>Sells base: matches bids, rests among the asks.</summary>
    Sell = 1,
}
