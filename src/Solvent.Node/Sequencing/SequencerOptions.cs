namespace Solvent.Node.Sequencing;

/// <summary>When the sequencer cuts blocks and how much it queues.</summary>
public sealed record SequencerOptions
{
    /// <summary>Longest wait from the first pending action to the cut, in milliseconds.</summary>
    public int BlockIntervalMs { get; init; } = 20;

    /// <summary>Most actions per block.</summary>
    public int MaxBlockActions { get; init; } = 2000;

    /// <summary>Write a snapshot every this many blocks (0 = never).</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>Most actions waiting for the sequencer before ingress answers OVERLOADED.</summary>
    public int QueueCapacity { get; init; } = 100_000;
}
