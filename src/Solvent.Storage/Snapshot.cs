namespace Solvent.Storage;

/// <summary>
/// A checkpoint of the chain at <paramref name="Height"/>: the state and account roots there and the
/// log length that held it. <paramref name="State"/> is the owner's opaque state image (the node's:
/// engine snapshot bytes, sequence counter and nonces); empty for a bare checkpoint.
/// </summary>
public sealed record Snapshot(long Height, long Time, byte[] StateRoot, byte[] AccountsRoot, long LogLength, byte[] State);
