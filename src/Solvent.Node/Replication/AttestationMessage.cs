namespace Solvent.Node.Replication;

/// <summary>
/// One validator's signed attestation as it travels on the attestation stream (hex strings, 0x-prefixed);
/// receivers recover the signer from the EIP-712 digest and never trust <see cref="Validator"/> alone.
/// </summary>
/// <param name="Height">Block height.</param>
/// <param name="StateRoot">State root the validator computed.</param>
/// <param name="WithdrawalsRoot">Withdrawals root (zeros without a bridge).</param>
/// <param name="ExitRoot">Exit root (zeros without a bridge).</param>
/// <param name="ForcedRoot">Forced-withdrawal root (zeros without a bridge).</param>
/// <param name="Validator">The address the validator claims.</param>
/// <param name="Signature">65-byte r ‖ s ‖ v signature of the attestation's digest.</param>
public sealed record AttestationMessage(long Height, string StateRoot, string WithdrawalsRoot, string ExitRoot, string ForcedRoot, string Validator, string Signature);
