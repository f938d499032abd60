namespace Solvent.Indexer;

/// <summary>Where the database stands: the chain it belongs to and the last height fully written.</summary>
/// <param name="GenesisHash">Keccak-256 of the chain's genesis.json bytes.</param>
/// <param name="LastHeight">Last block whose rows are committed (0 = none).</param>
/// <param name="LastRoot">State root after that block.</param>
public sealed record IndexerState(byte[] GenesisHash, long LastHeight, byte[] LastRoot);
