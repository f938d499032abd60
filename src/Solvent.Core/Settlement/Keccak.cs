using Org.BouncyCastle.Crypto.Digests;

namespace Solvent.Core.Settlement;

/// <summary>
/// Ethereum's Keccak-256 over BouncyCastle's <see cref="KeccakDigest"/>, for the settlement trees the vaults
/// verify. Core needs it because the withdrawal frontier lives in consensus state; the digest is pure and deterministic.
/// </summary>
public static class Keccak
{
    [ThreadStatic]
    private static KeccakDigest? _digest;

    /// <summary>Hashes <paramref name="data"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        KeccakDigest d = _digest ??= new KeccakDigest(256);
        d.BlockUpdate(data);
        d.DoFinal(output);
    }

    /// <summary>keccak256(left ‖ right) of two 32-byte nodes.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        KeccakDigest d = _digest ??= new KeccakDigest(256);
        d.BlockUpdate(left);
        d.BlockUpdate(right);
        byte[] output = new byte[32];
        d.DoFinal(output);
        return output;
    }

    /// <summary>Hashes into a new 32-byte array.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        byte[] output = new byte[32];
        Hash(data, output);
        return output;
    }
}
