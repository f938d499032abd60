using System.Buffers.Binary;
using System.Text;
using Solvent.Crypto.Settlement;

namespace Solvent.Crypto;

/// <summary>
/// EIP-712 hashing of an <see cref="Attestation"/> under Solvent's action domain, so one set of validator
/// signatures is valid on every vault chain.
/// </summary>
public static class AttestationTypedData
{
    /// <summary>The encoded type.</summary>
    public const string EncodedType = "Attestation(uint64 height,bytes32 stateRoot,bytes32 withdrawalsRoot,bytes32 exitRoot,bytes32 forcedRoot)";

    private static readonly byte[] TypeHash = Keccak256.Hash(Encoding.ASCII.GetBytes(EncodedType));

    /// <summary>keccak256(typeHash ‖ height ‖ stateRoot ‖ withdrawalsRoot ‖ exitRoot ‖ forcedRoot).</summary>
    public static byte[] StructHash(Attestation a)
    {
        ArgumentNullException.ThrowIfNull(a);
        Span<byte> b = stackalloc byte[6 * 32];
        TypeHash.CopyTo(b);
        b[32..64].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(b[56..], a.Height);
        Root(a.StateRoot, nameof(a.StateRoot)).CopyTo(b[64..]);
        Root(a.WithdrawalsRoot, nameof(a.WithdrawalsRoot)).CopyTo(b[96..]);
        Root(a.ExitRoot, nameof(a.ExitRoot)).CopyTo(b[128..]);
        Root(a.ForcedRoot, nameof(a.ForcedRoot)).CopyTo(b[160..]);
        return Keccak256.Hash(b);
    }

    /// <summary>The digest validators sign: keccak256(0x1901 ‖ domainSeparator ‖ structHash).</summary>
    public static byte[] Digest(Eip712Domain domain, Attestation a)
    {
        ArgumentNullException.ThrowIfNull(domain);
        byte[] digest = new byte[32];
        domain.Digest(StructHash(a), digest);
        return digest;
    }

    private static byte[] Root(byte[] r, string name) =>
        r is { Length: 32 } ? r : throw new ArgumentException($"{name} must be 32 bytes", name);
}
