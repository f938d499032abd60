namespace Solvent.Core.Perps.Book;

/// <summary>Read-only L2 depth for queries: levels in book order, no allocation.</summary>
public sealed partial class OrderBook
{
    /// <summary>
    /// Copies the best <paramref name="into"/>.Length levels of a side, best first (bids descending, asks
    /// ascending), and returns how many were copied.
    /// </summary>
    public int Depth(OrderSide side, Span<BookLevel> into)
    {
        BookSide s = SideOf(side);
        int n = System.Math.Min(into.Length, s.Count);
        for (int r = 0; r < n; r++)
        {
            ref PriceLevel l = ref _levels[s.LevelAt(r)];
            into[r] = new BookLevel(l.Price, l.Total, l.Count);
        }

        return n;
    }
}
