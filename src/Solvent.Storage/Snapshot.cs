namespace Solvent.Storage;

/// <summary>
/// A checkpoint of the chain at <paramref name="Height"/>: the state and account roots there and the
/// log length that held it. <paramref name="State"/> carries an engine state image when one is available
/// (empty today: recovery replays from genesis and checks the root against this checkpoint).
/// </summary>
public sealed record Snapshot(long Height, long Time, byte[] StateRoot, byte[] AccountsRoot, long LogLength, byte[] State);
