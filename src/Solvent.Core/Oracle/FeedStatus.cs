namespace Solvent.Core.Oracle;

/// <summary>Whether a feed's last aggregate may be trusted for risk-increasing actions.</summary>
public enum FeedStatus
{
    /// <summary>The last aggregate was within the per-update bound.</summary>
    Ok = 0,

    /// <summary>The last aggregate moved more than the bound and was clamped; cleared by the next aggregate within the bound.</summary>
    Flagged = 1,

    /// <summary>A move beyond the bound paused the feed; its price stays until governance resumes it.</summary>
    Paused = 2,

    /// <summary>Governance resumed a paused feed: aggregates are clamped to the move bound (never pause again) until one lands within it; not healthy meanwhile.</summary>
    Resuming = 3,
}
