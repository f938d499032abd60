using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// Recovers the Ethereum address that signed a 32-byte digest. One interface so a native
/// libsecp256k1 back end can stand beside the BouncyCastle one and be compared in the same benchmark.
/// </summary>
public interface ISignatureRecovery
{
    /// <summary>
    /// Checks r, s (low-s only) and v ∈ {0, 1, 27, 28} of a 65-byte r‖s‖v signature over
    /// <paramref name="digest"/> and recovers the signer's address. Never throws.
    /// </summary>
    SignatureError TryRecover(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out Address signer);
}
