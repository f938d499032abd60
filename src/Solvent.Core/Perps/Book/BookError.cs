namespace Solvent.Core.Perps.Book;

/// <summary>Why the book refused a request; a refused request changes nothing.</summary>
public enum BookError : byte
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>Price is zero, negative or above <see cref="OrderBook.MaxPrice"/> ticks.</summary>
    InvalidPrice,

    /// <summary>Size is zero, negative or above <see cref="OrderBook.MaxSize"/> steps.</summary>
    InvalidSize,

    /// <summary>A post-only order would cross the opposite best.</summary>
    CrossedPostOnly,

    /// <summary>A reduce-only order on a flat position, or on the side that would increase it.</summary>
    ReduceOnlyViolation,

    /// <summary>The owner already has the maximum number of resting orders.</summary>
    OpenOrderLimit,

    /// <summary>No resting order has that id (never placed, filled, cancelled or expired).</summary>
    UnknownOrder,

    /// <summary>The order belongs to another owner.</summary>
    NotOwner,

    /// <summary>A fill-or-kill order could not be filled whole (liquidity, price, or the taker's margin).</summary>
    FillOrKillUnfilled,

    /// <summary>The combination of type, time in force, reduce-only and expiry is not allowed.</summary>
    InvalidTimeInForce,

    /// <summary>The book holds <see cref="OrderBook.MaxCapacity"/> orders.</summary>
    BookFull,

    /// <summary>The owner id is negative or beyond the book's owner capacity.</summary>
    InvalidOwner,
}
