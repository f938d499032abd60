using Solvent.Core;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Node.Recovery;

/// <summary>Everything a node owns once recovered: the engine at the log's head, nonces, sequence counter, the open log and snapshots.</summary>
public sealed class ChainState(Engine engine, NonceTable nonces, AccountCommitment accounts, long sequence, BlockLog log, SnapshotStore snapshots) : IDisposable
{
    /// <summary>The engine at the last committed block (mutated by the sequencer thread only).</summary>
    public Engine Engine { get; } = engine;

    /// <summary>Next nonce per signer.</summary>
    public NonceTable Nonces { get; } = nonces;

    /// <summary>Merkle commitment to every subaccount.</summary>
    public AccountCommitment Accounts { get; } = accounts;

    /// <summary>Actions sequenced so far (the next action gets this number + 1).</summary>
    public long Sequence { get; set; } = sequence;

    /// <summary>The open block log.</summary>
    public BlockLog Log { get; } = log;

    /// <summary>Snapshot store of the data directory.</summary>
    public SnapshotStore Snapshots { get; } = snapshots;

    /// <inheritdoc />
    public void Dispose() => Log.Dispose();
}
