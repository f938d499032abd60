namespace Solvent.Core.Perps.Book;

/// <summary>How long the unfilled part of a limit or post-only order rests.</summary>
public enum TimeInForce : byte
{
    /// <summary>Good until cancelled.</summary>
    Gtc = 0,

    /// <summary>Immediate or cancel: whatever does not match at once is cancelled.</summary>
    Ioc = 1,

    /// <summary>Rests through block <see cref="OrderRequest.ExpiryBlock"/> inclusive; expired by <see cref="OrderBook.Expire{THooks}"/>.</summary>
    GoodTilBlock = 2,
}
