using System.Runtime.InteropServices;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// Address recovery through the system's libsecp256k1 (Debian <c>libsecp256k1-1</c>, built with the recovery
/// module) — the C library Bitcoin Core and geth use. Same checks and results as <see cref="Secp256k1"/>; an
/// optional back end: <see cref="IsAvailable"/> is false when the library is not installed.
/// </summary>
public sealed partial class NativeSecp256k1 : ISignatureRecovery
{
    private const string Library = "libsecp256k1.so.1";
    private const uint ContextVerify = (1 << 0) | (1 << 8);
    private const uint EcUncompressed = 1 << 1;

    private static readonly Lazy<nint> Context = new(CreateContext);

    private NativeSecp256k1()
    {
    }

    /// <summary>Whether libsecp256k1 could be loaded and a context created.</summary>
    public static bool IsAvailable => Context.Value != 0;

    /// <summary>The shared instance, or null when the library is missing.</summary>
    public static NativeSecp256k1? Instance { get; } = IsAvailable ? new NativeSecp256k1() : null;

    /// <inheritdoc />
    public SignatureError TryRecover(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out Address signer)
    {
        signer = default;
        SignatureError error = SignatureChecks.Validate(digest, signature, out int recoveryId);
        if (error != SignatureError.None)
        {
            return error;
        }

        // Opaque library structs: 65 bytes for a recoverable signature, 64 for a public key.
        Span<byte> sig = stackalloc byte[65];
        Span<byte> pubkey = stackalloc byte[64];
        Span<byte> serialized = stackalloc byte[65];
        nint ctx = Context.Value;
        if (ParseCompact(ctx, ref MemoryMarshal.GetReference(sig), in MemoryMarshal.GetReference(signature), recoveryId) != 1
            || Recover(ctx, ref MemoryMarshal.GetReference(pubkey), in MemoryMarshal.GetReference(sig), in MemoryMarshal.GetReference(digest)) != 1)
        {
            return SignatureError.RecoveryFailed;
        }

        nuint length = 65;
        Serialize(ctx, ref MemoryMarshal.GetReference(serialized), ref length, in MemoryMarshal.GetReference(pubkey), EcUncompressed);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(serialized[1..], hash);
        signer = Address.FromBytes(hash[12..]);
        return SignatureError.None;
    }

    private static nint CreateContext()
    {
        try
        {
            return ContextCreate(ContextVerify);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return 0;
        }
    }

    [LibraryImport(Library, EntryPoint = "secp256k1_context_create")]
    private static partial nint ContextCreate(uint flags);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_recoverable_signature_parse_compact")]
    private static partial int ParseCompact(nint ctx, ref byte sig, in byte input64, int recid);

    [LibraryImport(Library, EntryPoint = "secp256k1_ecdsa_recover")]
    private static partial int Recover(nint ctx, ref byte pubkey, in byte sig, in byte msg32);

    [LibraryImport(Library, EntryPoint = "secp256k1_ec_pubkey_serialize")]
    private static partial int Serialize(nint ctx, ref byte output, ref nuint outputLength, in byte pubkey, uint flags);
}
