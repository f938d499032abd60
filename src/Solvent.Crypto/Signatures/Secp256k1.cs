using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// Ethereum-flavoured ECDSA over secp256k1 with BouncyCastle: deterministic signing (RFC 6979,
/// HMAC-SHA256), low-s normalisation (EIP-2), recovery id, and public-key recovery (SEC 1 §4.1.6)
/// to an address = last 20 bytes of keccak256(X ‖ Y).
/// </summary>
public sealed class Secp256k1 : ISignatureRecovery
{
    /// <summary>Length of an r‖s‖v signature.</summary>
    public const int SignatureLength = 65;

    /// <summary>The shared instance (stateless; safe across threads).</summary>
    public static readonly Secp256k1 Instance = new();

    /// <summary>
    /// The fastest back end on this machine: the system libsecp256k1 when installed (~6× faster, same results —
    /// property-tested against this class), else this class. The codec and batch verifier use it by default.
    /// </summary>
    public static ISignatureRecovery Fastest => (ISignatureRecovery?)NativeSecp256k1.Instance ?? Instance;

    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger N = Curve.N;
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    /// <inheritdoc />
    public SignatureError TryRecover(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out Address signer) =>
        Recover(digest, signature, out signer);

    /// <summary>Static form of <see cref="TryRecover"/>.</summary>
    public static SignatureError Recover(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out Address signer)
    {
        signer = default;
        SignatureError error = SignatureChecks.Validate(digest, signature, out int parity);
        if (error != SignatureError.None)
        {
            return error;
        }

        var r = new BigInteger(1, signature[..32]);
        var s = new BigInteger(1, signature[32..64]);
        ECPoint? q = RecoverPoint(new BigInteger(1, digest), r, s, parity);
        if (q is null)
        {
            return SignatureError.RecoveryFailed;
        }

        signer = AddressOf(q);
        return SignatureError.None;
    }

    /// <summary>
    /// Signs a 32-byte digest: RFC 6979 deterministic k, s normalised to the low half, v = 27 + recovery id.
    /// Writes 65 bytes r‖s‖v into <paramref name="signature"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a valid secp256k1 scalar (0 &lt; d &lt; n) or the spans have the wrong length.</exception>
    public static void Sign(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> privateKey, Span<byte> signature)
    {
        if (digest.Length != 32 || signature.Length < SignatureLength)
        {
            throw new ArgumentException("digest must be 32 bytes and signature 65");
        }

        BigInteger d = PrivateScalar(privateKey);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        byte[] hash = digest.ToArray();
        BigInteger[] rs = signer.GenerateSignature(hash);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.CompareTo(HalfN) > 0)
        {
            s = N.Subtract(s);
        }

        ECPoint expected = Domain.G.Multiply(d).Normalize();
        var e = new BigInteger(1, hash);
        int recId = -1;
        for (int parity = 0; parity < 2; parity++)
        {
            ECPoint? q = RecoverPoint(e, r, s, parity);
            if (q is not null && q.Equals(expected))
            {
                recId = parity;
                break;
            }
        }

        if (recId < 0)
        {
            // Only possible when r ≥ p − n (probability ~2^-128), which a 0/1 recovery id cannot express.
            throw new InvalidOperationException("signature has no Ethereum recovery id");
        }

        signature[..SignatureLength].Clear();
        r.ToByteArrayUnsigned(signature[..32][(32 - r.GetLengthofByteArrayUnsigned())..]);
        s.ToByteArrayUnsigned(signature[32..64][(32 - s.GetLengthofByteArrayUnsigned())..]);
        signature[64] = (byte)(27 + recId);
    }

    /// <summary>Signs into a new 65-byte array.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> privateKey)
    {
        byte[] sig = new byte[SignatureLength];
        Sign(digest, privateKey, sig);
        return sig;
    }

    /// <summary>The Ethereum address of a 32-byte private key.</summary>
    /// <exception cref="ArgumentException">The key is not a valid secp256k1 scalar.</exception>
    public static Address AddressOf(ReadOnlySpan<byte> privateKey) =>
        AddressOf(Domain.G.Multiply(PrivateScalar(privateKey)).Normalize());

    /// <summary>Whether 32 bytes are a usable private key (0 &lt; d &lt; n).</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            return false;
        }

        var d = new BigInteger(1, privateKey);
        return d.SignValue > 0 && d.CompareTo(N) < 0;
    }

    private static BigInteger PrivateScalar(ReadOnlySpan<byte> privateKey)
    {
        if (!IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException("private key must be 32 bytes with 0 < d < n", nameof(privateKey));
        }

        return new BigInteger(1, privateKey);
    }

    // Q = r⁻¹(sR − eG), with R the curve point whose x is r and whose y has the given parity.
    private static ECPoint? RecoverPoint(BigInteger e, BigInteger r, BigInteger s, int parity)
    {
        ECCurve curve = Domain.Curve;
        ECFieldElement x = curve.FromBigInteger(r);
        ECFieldElement? y = x.Square().Multiply(x).Add(curve.B).Sqrt();
        if (y is null)
        {
            return null;
        }

        if (y.TestBitZero() != (parity == 1))
        {
            y = y.Negate();
        }

        ECPoint bigR = curve.CreatePoint(x.ToBigInteger(), y.ToBigInteger());
        BigInteger rInv = r.ModInverse(N);
        BigInteger u1 = N.Subtract(e.Mod(N)).Multiply(rInv).Mod(N);
        BigInteger u2 = s.Multiply(rInv).Mod(N);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(Domain.G, u1, bigR, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static Address AddressOf(ECPoint q)
    {
        Span<byte> xy = stackalloc byte[64];
        q.AffineXCoord.ToBigInteger().ToByteArrayUnsigned(xy[..32][(32 - q.AffineXCoord.ToBigInteger().GetLengthofByteArrayUnsigned())..]);
        q.AffineYCoord.ToBigInteger().ToByteArrayUnsigned(xy[32..][(32 - q.AffineYCoord.ToBigInteger().GetLengthofByteArrayUnsigned())..]);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(xy, hash);
        return Address.FromBytes(hash[12..]);
    }
}
