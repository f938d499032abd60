namespace Solvent.Core.Perps.Book;

/// <summary>How an order meets the book. Reduce-only is a flag on any immediate order, not a type.</summary>
public enum OrderType : byte
{
    /// <summary>Matches up to its limit price; the rest rests (GTC, good-til-block) or is cancelled (IOC).</summary>
    Limit = 0,

    /// <summary>Immediate-or-cancel with a worst acceptable price; never rests.</summary>
    Market = 1,

    /// <summary>Rests only: refused whole if it would cross the opposite best on arrival.</summary>
    PostOnly = 2,

    /// <summary>Fills its whole size at or better than its limit at once, or is refused and changes nothing.</summary>
    FillOrKill = 3,
}
