namespace Solvent.Core.Perps.Book;

/// <summary>One fill: a taker against one resting order, at the maker's price.</summary>
/// <param name="MakerOrder">Id of the resting order.</param>
/// <param name="Maker">Owner of the resting order.</param>
/// <param name="Taker">Owner of the incoming order.</param>
/// <param name="TakerSide">Side of the incoming order (the maker traded the other side).</param>
/// <param name="Price">The maker's price in ticks.</param>
/// <param name="Size">Steps exchanged, &gt; 0.</param>
/// <param name="MakerRemaining">Steps the resting order keeps (0: filled and gone).</param>
public readonly record struct BookFill(long MakerOrder, int Maker, int Taker, OrderSide TakerSide, long Price, long Size, long MakerRemaining);
