namespace Solvent.Core.Perps.Book;

/// <summary>A resting order as read from the book (queries, tests, the canonical encoding).</summary>
/// <param name="Id">Order id: its arrival number, so ids rise with time priority.</param>
/// <param name="Owner">Owning account.</param>
/// <param name="Side">Bid (buy) or ask (sell).</param>
/// <param name="Price">Price in ticks.</param>
/// <param name="Remaining">Unfilled steps.</param>
/// <param name="Type">Limit or post-only (only these rest).</param>
/// <param name="Tif">GTC or good-til-block.</param>
/// <param name="ExpiryBlock">Last block of a good-til-block order, else 0.</param>
public readonly record struct RestingOrder(long Id, int Owner, OrderSide Side, long Price, long Remaining, OrderType Type, TimeInForce Tif, long ExpiryBlock);
