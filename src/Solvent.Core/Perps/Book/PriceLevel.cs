namespace Solvent.Core.Perps.Book;

/// <summary>One price level: a FIFO of order slots (time priority) and its total size.</summary>
internal struct PriceLevel
{
    public long Price;
    public long Total;
    public int Head;
    public int Tail;
    public int Count;

    /// <summary>Free-list link while the level is unused.</summary>
    public int NextFree;
}
