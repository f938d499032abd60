namespace Solvent.Core.Perps.Book;

/// <summary>One slot of the order array: the order (its id is <see cref="Sequence"/>) and its links (price level FIFO, owner list, expiry heap).</summary>
internal struct BookOrder
{
    public long Price;
    public long Remaining;
    public long Sequence;
    public long ExpiryBlock;
    public int Owner;
    public int Level;

    /// <summary>Next and previous order in the level's FIFO (−1 at the ends); the free list reuses <see cref="Next"/>.</summary>
    public int Next;
    public int Prev;

    /// <summary>Next and previous resting order of the same owner (−1 at the ends).</summary>
    public int OwnerNext;
    public int OwnerPrev;

    /// <summary>Position in the expiry heap, −1 when the order does not expire.</summary>
    public int HeapIndex;

    public OrderSide Side;
    public OrderType Type;
    public TimeInForce Tif;
    public bool Live;
}
