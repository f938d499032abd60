using System.Globalization;
using CsCheck;
using Solvent.Core.State;
using NBig = System.Numerics.BigInteger;

namespace Solvent.Crypto.Tests;

public class Secp256k1Tests
{
    // The EIP-712 "Mail" example: key keccak256("cow"), digest and signature from the EIP and eth-sig-util's tests.
    internal const string CowKey = "0xc85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4";
    internal const string CowAddress = "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826";
    internal const string MailDigest = "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2";
    internal const string MailSignature = "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c";

    private static readonly NBig N = NBig.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);
    private static readonly NBig P = NBig.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", NumberStyles.HexNumber);

    // Well-known Ethereum key → address pairs (keys 1, 2, 3; the web3.js docs key; the EIP-712 "cow" key).
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000001", "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000002", "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000003", "0x6813eb9362372eef6200f3b1dbc3f819671cba69")]
    [InlineData("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23")]
    [InlineData(CowKey, CowAddress)]
    public void Address_of_known_keys(string key, string address) =>
        Assert.Equal(address, Secp256k1.AddressOf(Hex.Bytes(key)).ToString());

    [Fact]
    public void Recovers_the_eip712_mail_signer()
    {
        Assert.Equal(SignatureError.None, Secp256k1.Recover(Hex.Bytes(MailDigest), Hex.Bytes(MailSignature), out Address signer));
        Assert.Equal(CowAddress, signer.ToString());
    }

    [Fact]
    public void Signs_the_eip712_mail_digest_exactly_as_published()
    {
        // RFC 6979 is deterministic, so our signature must be byte-identical to the EIP's (which is low-s, v = 28).
        Assert.Equal(MailSignature, Hex.Of(Secp256k1.Sign(Hex.Bytes(MailDigest), Hex.Bytes(CowKey))));
    }

    [Fact]
    public void Accepts_v_as_0_or_1_too()
    {
        byte[] sig = Hex.Bytes(MailSignature);
        sig[64] = 1;
        Assert.Equal(SignatureError.None, Secp256k1.Recover(Hex.Bytes(MailDigest), sig, out Address signer));
        Assert.Equal(CowAddress, signer.ToString());
        sig[64] = 0;
        Assert.Equal(SignatureError.None, Secp256k1.Recover(Hex.Bytes(MailDigest), sig, out Address other));
        Assert.NotEqual(CowAddress, other.ToString());
    }

    [Fact]
    public void Rejects_the_high_s_twin()
    {
        // (r, n − s, v ^ 1) is the same signature's malleable twin: valid ECDSA, refused by EIP-2.
        byte[] sig = Hex.Bytes(MailSignature);
        NBig s = new(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        Write(N - s, sig.AsSpan(32, 32));
        sig[64] = 27;
        Assert.Equal(SignatureError.HighS, Secp256k1.Recover(Hex.Bytes(MailDigest), sig, out _));
    }

    [Theory]
    [InlineData("r0", SignatureError.InvalidR)]
    [InlineData("rN", SignatureError.InvalidR)]
    [InlineData("s0", SignatureError.InvalidS)]
    [InlineData("sN", SignatureError.InvalidS)]
    [InlineData("v2", SignatureError.InvalidV)]
    [InlineData("v29", SignatureError.InvalidV)]
    [InlineData("short", SignatureError.BadLength)]
    public void Rejects_out_of_range_components(string what, SignatureError expected)
    {
        byte[] sig = Hex.Bytes(MailSignature);
        switch (what)
        {
            case "r0": sig.AsSpan(0, 32).Clear(); break;
            case "rN": Write(N, sig.AsSpan(0, 32)); break;
            case "s0": sig.AsSpan(32, 32).Clear(); break;
            case "sN": Write(N, sig.AsSpan(32, 32)); break;
            case "v2": sig[64] = 2; break;
            case "v29": sig[64] = 29; break;
            default: sig = sig[..64]; break;
        }

        Assert.Equal(expected, Secp256k1.Recover(Hex.Bytes(MailDigest), sig, out _));
    }

    [Fact]
    public void Fails_recovery_when_r_is_no_curve_x()
    {
        // Euler's criterion picks an x with x³ + 7 a non-residue mod p: no point has it, so nothing recovers.
        NBig x = 1;
        while (NBig.ModPow(((x * x * x) + 7) % P, (P - 1) / 2, P) == 1)
        {
            x++;
        }

        byte[] sig = Hex.Bytes(MailSignature);
        Write(x, sig.AsSpan(0, 32));
        Assert.Equal(SignatureError.RecoveryFailed, Secp256k1.Recover(Hex.Bytes(MailDigest), sig, out _));
    }

    [Fact]
    public void Sign_then_recover_round_trips_for_random_keys() =>
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Where(t => Secp256k1.IsValidPrivateKey(t.Item1)).Sample(t =>
        {
            (byte[] key, byte[] digest) = t;
            byte[] sig = Secp256k1.Sign(digest, key);
            NBig s = new(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            return s <= N / 2 && sig[64] is 27 or 28
                && Secp256k1.Recover(digest, sig, out Address a) == SignatureError.None && a == Secp256k1.AddressOf(key);
        }, iter: 200);

    [Fact]
    public void Rejects_invalid_private_keys()
    {
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[32]));
        byte[] n = new byte[32];
        Write(N, n);
        Assert.False(Secp256k1.IsValidPrivateKey(n));
        Assert.Throws<ArgumentException>(() => Secp256k1.AddressOf(n));
    }

    internal static void Write(NBig value, Span<byte> into)
    {
        into.Clear();
        byte[] b = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(into[(into.Length - b.Length)..]);
    }
}
