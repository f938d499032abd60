namespace Solvent.Crypto;

/// <summary>
/// The checks every recovery back end applies before touching the curve, on raw big-endian bytes (no
/// big-integer allocation): 65 bytes, 1 ≤ r &lt; n, 1 ≤ s ≤ n/2 (EIP-2 low-s), v ∈ {0, 1, 27, 28}.
/// </summary>
public static class SignatureChecks
{
    // secp256k1 group order n and ⌊n/2⌋, big-endian.
    private static ReadOnlySpan<byte> N =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    private static ReadOnlySpan<byte> HalfN =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ];

    /// <summary>Checks lengths and components; <paramref name="recoveryId"/> is 0 or 1 (the parity of R's y) when valid.</summary>
    public static SignatureError Validate(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out int recoveryId)
    {
        recoveryId = -1;
        if (digest.Length != 32 || signature.Length != Secp256k1.SignatureLength)
        {
            return SignatureError.BadLength;
        }

        ReadOnlySpan<byte> r = signature[..32];
        ReadOnlySpan<byte> s = signature[32..64];
        if (r.IndexOfAnyExcept((byte)0) < 0 || r.SequenceCompareTo(N) >= 0)
        {
            return SignatureError.InvalidR;
        }

        if (s.IndexOfAnyExcept((byte)0) < 0 || s.SequenceCompareTo(N) >= 0)
        {
            return SignatureError.InvalidS;
        }

        if (s.SequenceCompareTo(HalfN) > 0)
        {
            return SignatureError.HighS;
        }

        recoveryId = signature[64] switch
        {
            0 or 27 => 0,
            1 or 28 => 1,
            _ => -1,
        };
        return recoveryId < 0 ? SignatureError.InvalidV : SignatureError.None;
    }
}
