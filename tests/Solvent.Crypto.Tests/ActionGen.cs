using System.Buffers.Binary;
using CsCheck;
using Solvent.Core.Actions;

namespace Solvent.Crypto.Tests;

/// <summary>Random, in-range field values for any schema type, biased toward the edges (0, max, 2^53 ± 1, negatives).</summary>
internal static class ActionGen
{
    public static readonly Gen<ActionType> Type = Gen.Int[0, ActionTypes.All.Count - 1].Select(i => ActionTypes.All[i]);

    public static readonly Gen<byte[]> Key = Gen.Byte.Array[32].Where(k => Secp256k1.IsValidPrivateKey(k));

    /// <summary>(type, words) where words encode random valid field values including the nonce.</summary>
    public static readonly Gen<(ActionType Type, byte[] Words)> Words =
        Gen.Select(Type, Gen.Int).Select(t => (t.Item1, MakeWords(t.Item1, new Random(t.Item2))));

    public static EngineAction Build(ActionType type, byte[] words) => type.Build(new FieldReader(words), default);

    public static ulong Nonce(ActionType type, byte[] words) => new FieldReader(words).U64(type.NonceField);

    public static byte[] MakeWords(ActionType type, Random rnd)
    {
        byte[] words = new byte[type.Fields.Count * 32];
        for (int i = 0; i < type.Fields.Count; i++)
        {
            Fill(type.Fields[i], words.AsSpan(i * 32, 32), rnd);
        }

        return words;
    }

    public static void Fill(FieldSpec f, Span<byte> word, Random rnd)
    {
        word.Clear();
        switch (f.Kind)
        {
            case FieldKind.Address:
                rnd.NextBytes(word[12..]);
                break;
            case FieldKind.Bool:
                word[31] = (byte)rnd.Next(2);
                break;
            case FieldKind.Int64:
                long v = rnd.Next(7) switch
                {
                    0 => 0,
                    1 => long.MaxValue,
                    2 => long.MinValue,
                    3 => (1L << 53) + rnd.Next(-1, 2),
                    4 => -(1L << 53) + rnd.Next(-1, 2),
                    5 => rnd.Next(-1000, 1000),
                    _ => rnd.NextInt64(long.MinValue, long.MaxValue),
                };
                if (v < 0)
                {
                    word[..24].Fill(0xFF);
                }

                BinaryPrimitives.WriteInt64BigEndian(word[24..], v);
                break;
            default:
                UInt128 u = rnd.Next(6) switch
                {
                    0 => 0,
                    1 => f.Max,
                    2 => UInt128.Min(f.Max, (UInt128)(1UL << 53) + (ulong)rnd.Next(0, 2)),
                    3 => (ulong)rnd.Next(0, 100),
                    _ => new UInt128((ulong)rnd.NextInt64(), (ulong)rnd.NextInt64()),
                };
                if (u > f.Max)
                {
                    u %= f.Max + 1;
                }

                BinaryPrimitives.WriteUInt128BigEndian(word[16..], u);
                break;
        }
    }
}
