using Solvent.Core.Settlement;
using Solvent.Crypto.Settlement;

namespace Solvent.Node.Settlement;

/// <summary>
/// The roots at a commitment height with everything needed to prove against them: the withdrawal records and
/// exit leaves as they were at that height, the forced counts (the preimage of forcedRoot), the attestation and
/// the validator signatures on it (ordered by signer address, as a vault wants them).
/// </summary>
public sealed record Commitment(
    Attestation Attestation,
    byte[] Digest,
    IReadOnlyList<long> ChainIds,
    IReadOnlyList<ulong> ForcedCounts,
    IReadOnlyList<WithdrawalRecord> Withdrawals,
    IReadOnlyList<byte[]> WithdrawalLeaves,
    IReadOnlyList<ExitLeaf> Exits,
    IReadOnlyList<byte[]> ExitHashes,
    IReadOnlyList<byte[]> Signatures)
{
    /// <summary>The committed height.</summary>
    public long Height => (long)Attestation.Height;
}
