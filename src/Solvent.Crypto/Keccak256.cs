using Org.BouncyCastle.Crypto.Digests;

namespace Solvent.Crypto;

/// <summary>
/// Ethereum's Keccak-256 (the pre-NIST padding, not SHA3-256) over BouncyCastle's <see cref="KeccakDigest"/>.
/// One digest per thread is reused, so hashing allocates nothing after a thread's first call.
/// </summary>
public static class Keccak256
{
    /// <summary>Output length in bytes.</summary>
    public const int HashLength = 32;

    [ThreadStatic]
    private static KeccakDigest? _digest;

    /// <summary>Hashes <paramref name="data"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        KeccakDigest d = Digest();
        d.BlockUpdate(data);
        d.DoFinal(output);
    }

    /// <summary>Hashes the concatenation of two spans (saves a copy when hashing prefix ‖ payload).</summary>
    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output)
    {
        KeccakDigest d = Digest();
        d.BlockUpdate(first);
        d.BlockUpdate(second);
        d.DoFinal(output);
    }

    /// <summary>Hashes the concatenation of three spans (a Merkle inner node: 0x01 ‖ left ‖ right).</summary>
    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> output)
    {
        KeccakDigest d = Digest();
        d.BlockUpdate(first);
        d.BlockUpdate(second);
        d.BlockUpdate(third);
        d.DoFinal(output);
    }

    /// <summary>Hashes into a new 32-byte array.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        byte[] output = new byte[HashLength];
        Hash(data, output);
        return output;
    }

    private static KeccakDigest Digest()
    {
        // DoFinal resets the digest, so a reused instance always starts clean.
        return _digest ??= new KeccakDigest(256);
    }
}
