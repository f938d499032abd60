using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>A decoded, signature-checked action.</summary>
/// <param name="Action">The Core action; its <c>Signer</c> is the recovered address.</param>
/// <param name="Signer">The recovered signer (same as <c>Action.Signer</c>).</param>
/// <param name="Nonce">The signed nonce; the sequencer checks it, not the codec.</param>
/// <param name="Digest">The 32-byte EIP-712 digest that was signed (unique per (domain, type, fields)).</param>
public sealed record SignedAction(EngineAction Action, Address Signer, ulong Nonce, byte[] Digest);
