namespace Solvent.Indexer;

/// <summary>Where the database stands: the chain it belongs to and the last height fully written.</summary>
/// <param name="GenesisHash">Keccak-256 of the chain's genesis.json bytes.</param>
/// <param name="LastHeight">Last block whose rows are committed (0 = none).</param>
/// <param name="LastRoot">State root after that block.</param>
public sealed record IndexerState(byte[] GenesisHash, long LastHeight, byte[] LastRoot);

/// <summary>The indexer's engine state after a committed block: <c>SnapshotImage</c> bytes and the state root they restore to.</summary>
/// <param name="Height">The block after which the state was taken.</param>
/// <param name="StateRoot">State root after that block (checked on restore).</param>
/// <param name="Image">Engine snapshot and nonces, in the node's snapshot image layout.</param>
public sealed record IndexerSnapshot(long Height, byte[] StateRoot, byte[] Image);
