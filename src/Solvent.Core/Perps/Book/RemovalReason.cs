namespace Solvent.Core.Perps.Book;

/// <summary>Why the book removed a resting order that its owner did not cancel.</summary>
public enum RemovalReason : byte
{
    /// <summary>The taker was its own owner: the resting order is cancelled (self-trade prevention).</summary>
    SelfTrade = 0,

    /// <summary>Its owner could not be margined for the fill.</summary>
    Margin = 1,

    /// <summary>A good-til-block order past its last block.</summary>
    Expired = 2,
}
