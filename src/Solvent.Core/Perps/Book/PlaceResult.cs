namespace Solvent.Core.Perps.Book;

/// <summary>What became of a placed order.</summary>
/// <param name="Error">Why it was refused (nothing changed), or <see cref="BookError.None"/>.</param>
/// <param name="OrderId">Id of the resting rest, or 0 when nothing rests.</param>
/// <param name="Filled">Steps matched.</param>
/// <param name="Rested">Steps left resting.</param>
/// <param name="StoppedByMargin">Whether matching stopped because the taker could not afford the next fill.</param>
public readonly record struct PlaceResult(BookError Error, long OrderId, long Filled, long Rested, bool StoppedByMargin)
{
    /// <summary>Whether the order was accepted.</summary>
    public bool Ok => Error == BookError.None;

    /// <summary>A refusal.</summary>
    public static PlaceResult Refused(BookError e) => new(e, 0, 0, 0, false);
}
