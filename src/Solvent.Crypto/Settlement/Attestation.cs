namespace Solvent.Crypto.Settlement;

/// <summary>
/// What a validator signs for a committed block (EIP-712 type
/// <c>Attestation(uint64 height,bytes32 stateRoot,bytes32 withdrawalsRoot,bytes32 exitRoot,bytes32 forcedRoot)</c>
/// under the chain's <see cref="Eip712Domain"/>), so one set of signatures is valid on every vault chain.
/// </summary>
/// <param name="Height">Block height.</param>
/// <param name="StateRoot">State root after the block (32 bytes).</param>
/// <param name="WithdrawalsRoot">Root of the withdrawal-record tree (32 bytes; zeros while no bridge records withdrawals).</param>
/// <param name="ExitRoot">Root of the exit leaves (32 bytes; zeros when not computed at this height).</param>
/// <param name="ForcedRoot">keccak256(abi.encode(chainIds, processedCounts)) of forced withdrawals (32 bytes; zeros without a bridge).</param>
public sealed record Attestation(ulong Height, byte[] StateRoot, byte[] WithdrawalsRoot, byte[] ExitRoot, byte[] ForcedRoot)
{
    /// <summary>An attestation of a state root alone: the three bridge roots are zero hashes.</summary>
    public static Attestation OfStateRoot(ulong height, byte[] stateRoot) => new(height, stateRoot, new byte[32], new byte[32], new byte[32]);
}
