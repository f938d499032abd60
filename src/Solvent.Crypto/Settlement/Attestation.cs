namespace Solvent.Crypto.Settlement;

/// <summary>
/// What validators sign about a committed height and what a vault's <c>commitRoot</c> accepts: the engine's
/// state root, the withdrawal-tree root, the exit-tree root and the forced-request processed counts' hash.
/// Every root is 32 bytes.
/// </summary>
/// <param name="Height">Committed block height.</param>
/// <param name="StateRoot">Engine state root after that block.</param>
/// <param name="WithdrawalsRoot">Depth-32 withdrawal-tree root.</param>
/// <param name="ExitRoot">Exit-tree root (zero when there are no claims).</param>
/// <param name="ForcedRoot">keccak256(abi.encode(uint256[] chainIds, uint64[] processedCounts)).</param>
public sealed record Attestation(ulong Height, byte[] StateRoot, byte[] WithdrawalsRoot, byte[] ExitRoot, byte[] ForcedRoot);
