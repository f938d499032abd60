using CsCheck;
using Solvent.Core.State;

namespace Solvent.Crypto.Tests;

public class NativeSecp256k1Tests
{
    [Fact]
    public void Agrees_with_bouncycastle_on_valid_and_tampered_signatures()
    {
        // The native back end is optional (Debian libsecp256k1-1); where it is missing there is nothing to compare.
        if (NativeSecp256k1.Instance is not { } native)
        {
            Assert.False(NativeSecp256k1.IsAvailable);
            return;
        }

        Assert.Equal(SignatureError.None, native.TryRecover(Hex.Bytes(Secp256k1Tests.MailDigest), Hex.Bytes(Secp256k1Tests.MailSignature), out Address cow));
        Assert.Equal(Secp256k1Tests.CowAddress, cow.ToString());
        Gen.Select(ActionGen.Key, Gen.Byte.Array[32], Gen.Int[-1, (65 * 8) - 1]).Sample(t =>
        {
            (byte[] key, byte[] digest, int bit) = t;
            byte[] sig = Secp256k1.Sign(digest, key);
            if (bit >= 0)
            {
                sig[bit / 8] ^= (byte)(1 << (bit % 8));
            }

            SignatureError a = Secp256k1.Recover(digest, sig, out Address x);
            SignatureError b = native.TryRecover(digest, sig, out Address y);
            return a == b && x == y;
        }, iter: 300);
    }
}
