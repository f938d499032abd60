using System.Text;
using CsCheck;

namespace Solvent.Crypto.Tests;

public class FuzzTests
{
    private static readonly Eip712Domain Domain = new(1);
    private static readonly byte[] Key = Keccak256.Hash(Encoding.UTF8.GetBytes("fuzz"));

    private static readonly string[] Junk =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "-", "0x", "1e999", "-0", "18446744073709551616",
        "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}", "\u00ff", "\"nonce\"", "\"type\"", "\"message\"", "\"signature\"", "99999999999999999999999999999999999999999",
    ];

    // Signing is the slow part, so a fixed pool of valid inputs (every type, random fields) is mutated.
    private static readonly byte[][] Seeds = MakeSeeds();

    [Fact]
    public void Ten_thousand_mutated_inputs_never_throw()
    {
        int accepted = 0;
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int).Sample(t =>
        {
            (int pick, int seed) = t;
            var rnd = new Random(seed);
            byte[] bytes = Mutate(Seeds[pick], rnd);
            bool ok = ActionCodec.TryDecode(bytes, Domain, out SignedAction? action, out string code, out string message);
            if (ok)
            {
                accepted++;
                Assert.NotNull(action);
                Assert.Equal(action.Signer, action.Action.Signer);
            }
            else
            {
                Assert.Contains(code, CodecErrors.All);
                Assert.False(string.IsNullOrEmpty(message));
            }
        }, iter: 10_000, threads: 1);

        // Some mutations (whitespace, hex case, reordered keys) keep the input valid; most must not.
        Assert.InRange(accepted, 1, 9_000);
    }

    [Fact]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            bool ok = ActionCodec.TryDecode(bytes, Domain, out _, out string code, out _);
            return !ok && CodecErrors.All.Contains(code);
        }, iter: 2_000);

    private static byte[][] MakeSeeds()
    {
        var rnd = new Random(20261125);
        var seeds = new byte[ActionTypes.All.Count * 8][];
        for (int i = 0; i < seeds.Length; i++)
        {
            ActionType type = ActionTypes.All[i % ActionTypes.All.Count];
            byte[] words = ActionGen.MakeWords(type, rnd);
            seeds[i] = Encoding.UTF8.GetBytes(ActionCodec.Encode(ActionGen.Build(type, words), ActionGen.Nonce(type, words), Key, Domain));
        }

        return seeds;
    }

    private static byte[] Mutate(byte[] input, Random rnd)
    {
        var b = new List<byte>(input);
        int edits = rnd.Next(1, 4);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = rnd.Next(b.Count);
            switch (rnd.Next(9))
            {
                case 0: b[at] ^= (byte)(1 << rnd.Next(8)); break;
                case 1: b.RemoveAt(at); break;
                case 2: b.Insert(at, (byte)rnd.Next(256)); break;
                case 3: b.RemoveRange(at, b.Count - at); break;
                case 4: b.InsertRange(at, Encoding.UTF8.GetBytes(Junk[rnd.Next(Junk.Length)])); break;
                case 5: b.Insert(at, (byte)' '); break;
                case 6:
                    // Swap a digit for another digit: stays well-formed, changes a value or the signature.
                    if (b[at] is >= (byte)'0' and <= (byte)'9')
                    {
                        b[at] = (byte)('0' + rnd.Next(10));
                    }

                    break;
                case 7:
                    // Duplicate a slice: duplicate members, doubled values.
                    int len = rnd.Next(1, Math.Min(40, b.Count - at) + 1);
                    b.InsertRange(at, b.GetRange(at, len));
                    break;
                default:
                    if (b[at] is >= (byte)'a' and <= (byte)'f')
                    {
                        b[at] = (byte)char.ToUpperInvariant((char)b[at]);
                    }

                    break;
            }
        }

        return [.. b];
    }
}
