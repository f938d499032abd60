using System.Buffers.Binary;
using Solvent.Crypto.Settlement;

namespace Solvent.Crypto;

/// <summary>The EIP-712 digest of an <see cref="Attestation"/>: what validators sign and vaults and nodes recover.</summary>
public static class AttestationTypedData
{
    /// <summary>The encoded type string.</summary>
    public const string EncodedType = "Attestation(uint64 height,bytes32 stateRoot,bytes32 withdrawalsRoot,bytes32 exitRoot,bytes32 forcedRoot)";

    private static readonly byte[] TypeHash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(EncodedType));

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(attestation)).</summary>
    /// <exception cref="ArgumentException">A root is not 32 bytes.</exception>
    public static byte[] Digest(Eip712Domain domain, Attestation a)
    {
        Span<byte> encoded = stackalloc byte[32 * 6];
        TypeHash.CopyTo(encoded);
        encoded.Slice(32, 32).Clear();
        BinaryPrimitives.WriteUInt64BigEndian(encoded.Slice(32 + 24, 8), a.Height);
        Root(a.StateRoot, nameof(a.StateRoot)).CopyTo(encoded.Slice(64, 32));
        Root(a.WithdrawalsRoot, nameof(a.WithdrawalsRoot)).CopyTo(encoded.Slice(96, 32));
        Root(a.ExitRoot, nameof(a.ExitRoot)).CopyTo(encoded.Slice(128, 32));
        Root(a.ForcedRoot, nameof(a.ForcedRoot)).CopyTo(encoded.Slice(160, 32));
        Span<byte> structHash = stackalloc byte[32];
        Keccak256.Hash(encoded, structHash);
        byte[] digest = new byte[32];
        domain.Digest(structHash, digest);
        return digest;
    }

    private static byte[] Root(byte[] root, string name) =>
        root is { Length: 32 } ? root : throw new ArgumentException($"{name} must be 32 bytes", name);
}
