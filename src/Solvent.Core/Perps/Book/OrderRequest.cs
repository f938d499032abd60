namespace Solvent.Core.Perps.Book;

/// <summary>
/// An order as the book sees it: integer ticks and steps (the engine converts USD × 1e8 and base quantums
/// with the market's tick and step sizes, refusing anything off the grid before the book is asked).
/// </summary>
/// <param name="Owner">Dense id of the placing account; also the self-trade-prevention key.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Limit price in ticks (for market orders the worst acceptable price), &gt; 0.</param>
/// <param name="Size">Size in steps, &gt; 0.</param>
/// <param name="Type">Limit, market, post-only or fill-or-kill.</param>
/// <param name="Tif">Time in force of a limit or post-only order; market and fill-or-kill orders are immediate.</param>
/// <param name="ExpiryBlock">Last block a good-til-block order rests in; ignored otherwise.</param>
/// <param name="ReduceOnly">Immediate orders only: may only shrink the owner's position, clipped to its size.</param>
public readonly record struct OrderRequest(
    int Owner, OrderSide Side, long Price, long Size, OrderType Type = OrderType.Limit, TimeInForce Tif = TimeInForce.Gtc, long ExpiryBlock = 0, bool ReduceOnly = false)
{
    /// <summary>Whether the unmatched rest of this order would rest on the book.</summary>
    public bool CanRest => Type is OrderType.Limit or OrderType.PostOnly && Tif != TimeInForce.Ioc;
}
