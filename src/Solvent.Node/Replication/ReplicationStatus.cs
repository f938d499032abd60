namespace Solvent.Node.Replication;

/// <summary>What a replicated node knows that outlives one run of its runtime (a step-down or a reload after divergence rebuilds the runtime).</summary>
public sealed class ReplicationStatus(FinalityTracker finality)
{
    /// <summary>A block this node re-executed to a different root than the stream's.</summary>
    /// <param name="Height">The block's height.</param>
    /// <param name="Reason">What differed.</param>
    public sealed record DivergenceReport(long Height, string Reason);

    /// <summary>Attestations and finality.</summary>
    public FinalityTracker Finality { get; } = finality;

    /// <summary>Set once this node diverged: it stops following the stream and serves the last agreed state.</summary>
    public DivergenceReport? Divergence { get; set; }

    /// <summary>"leader", "follower" or "starting".</summary>
    public string Role { get; set; } = "starting";

    /// <summary>The leader's advertised URL as last seen, or null.</summary>
    public string? Leader { get; set; }

    /// <summary>Height of the last block in the stream as last seen.</summary>
    public long StreamHeight { get; set; }

    /// <summary>When this node last took the lease after another leader stopped: milliseconds from the old lease's last sighting to the first block it could accept.</summary>
    public long? LastTakeoverMs { get; set; }
}
