namespace Solvent.Node.Streaming;

/// <summary>Outcome of a subscribe or unsubscribe request.</summary>
public enum SubscriptionResult
{
    /// <summary>Applied.</summary>
    Ok,

    /// <summary>Unknown topic or missing parameter.</summary>
    Invalid,

    /// <summary>The connection already holds the most topics allowed.</summary>
    TooMany,
}
