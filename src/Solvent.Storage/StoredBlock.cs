namespace Solvent.Storage;

/// <summary>
/// One block as the log keeps it: chain position, the roots before and after, and every action as the
/// exact signed JSON bytes that were sequenced, so a replay re-verifies each signature.
/// </summary>
/// <param name="Height">Block height (1 for the first block).</param>
/// <param name="Time">Block time, seconds since the Unix epoch.</param>
/// <param name="ParentRoot">State root before the block (32 bytes; zeros before the first block).</param>
/// <param name="StateRoot">State root after the block (32 bytes).</param>
/// <param name="AccountsRoot">Merkle root over the canonical bytes of every account after the block (32 bytes; zeros when not computed).</param>
/// <param name="Actions">Signed action JSON, in sequence order.</param>
public sealed record StoredBlock(long Height, long Time, byte[] ParentRoot, byte[] StateRoot, byte[] AccountsRoot, IReadOnlyList<byte[]> Actions);
