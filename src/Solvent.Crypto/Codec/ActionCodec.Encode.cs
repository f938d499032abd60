using System.Text.Json;
using Solvent.Core.Actions;

namespace Solvent.Crypto;

/// <summary>The signing side of the wire format: digests and signed JSON for tests, load generators and dev keys.</summary>
public static partial class ActionCodec
{
    /// <summary>The EIP-712 digest of <paramref name="action"/> (its <c>Signer</c> is ignored) with <paramref name="nonce"/> under <paramref name="domain"/>.</summary>
    /// <exception cref="ArgumentException">The action type is not signable.</exception>
    public static byte[] Digest(EngineAction action, ulong nonce, Eip712Domain domain)
    {
        ActionType type = TypeOf(action);
        byte[] words = Words(type, action, nonce);
        Span<byte> hash = stackalloc byte[32];
        type.StructHash(words, hash);
        byte[] digest = new byte[32];
        domain.Digest(hash, digest);
        return digest;
    }

    /// <summary>Signs <paramref name="action"/> with a 32-byte private key and returns the wire JSON.</summary>
    public static string Encode(EngineAction action, ulong nonce, ReadOnlySpan<byte> privateKey, Eip712Domain domain) =>
        Encode(action, nonce, Secp256k1.Sign(Digest(action, nonce, domain), privateKey));

    /// <summary>Wire JSON of <paramref name="action"/> with a given 65-byte r‖s‖v signature (for tamper tests and external signers).</summary>
    public static string Encode(EngineAction action, ulong nonce, ReadOnlySpan<byte> signature) => Write(action, nonce, signature, null);

    /// <summary>
    /// Wire JSON with a given signature and, when <paramref name="signer"/> is set, the <c>signer</c>
    /// member naming the address the signature must recover (decoding refuses any other).
    /// </summary>
    public static string EncodeNamed(EngineAction action, ulong nonce, ReadOnlySpan<byte> signature, Solvent.Core.State.Address signer) =>
        Write(action, nonce, signature, signer);

    private static string Write(EngineAction action, ulong nonce, ReadOnlySpan<byte> signature, Solvent.Core.State.Address? signer)
    {
        ActionType type = TypeOf(action);
        byte[] words = Words(type, action, nonce);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type.Name);
            w.WritePropertyName("message");
            WriteMessage(w, type, words);
            w.WriteString("signature", "0x" + Convert.ToHexStringLower(signature));
            if (signer is { } named)
            {
                w.WriteString("signer", named.ToString());
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Writes the EIP-712 message object of a type from its 32-byte words: addresses as lower-case hex,
    /// integers as JSON numbers up to 2^53 and decimal strings above.
    /// </summary>
    internal static void WriteMessage(Utf8JsonWriter w, ActionType type, byte[] words)
    {
        var f = new FieldReader(words);
        w.WriteStartObject();
        for (int i = 0; i < type.Fields.Count; i++)
        {
            FieldSpec field = type.Fields[i];
            w.WritePropertyName(field.Name);
            switch (field.Kind)
            {
                case FieldKind.Address:
                    w.WriteStringValue(f.Address(i).ToString());
                    break;
                case FieldKind.Bool:
                    w.WriteBooleanValue(f.Bool(i));
                    break;
                case FieldKind.Int64:
                    long v = f.I64(i);
                    if (v >= -(long)MaxSafeInteger && v <= (long)MaxSafeInteger)
                    {
                        w.WriteNumberValue(v);
                    }
                    else
                    {
                        w.WriteStringValue(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                default:
                    UInt128 u = f.U128(i);
                    if (u <= MaxSafeInteger)
                    {
                        w.WriteNumberValue((ulong)u);
                    }
                    else
                    {
                        w.WriteStringValue(u.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        w.WriteEndObject();
    }

    /// <summary>The 32-byte words of an action's fields plus nonce, in schema order.</summary>
    internal static byte[] Words(ActionType type, EngineAction action, ulong nonce)
    {
        byte[] words = new byte[type.Fields.Count * 32];
        var writer = new FieldWriter(words);
        type.Write(action, writer);
        writer.U64(nonce);
        if (writer.Count != type.Fields.Count)
        {
            throw new InvalidOperationException($"{type.Name}: writer produced {writer.Count} fields, schema has {type.Fields.Count}");
        }

        return words;
    }

    private static ActionType TypeOf(EngineAction action) =>
        ActionTypes.Of(action) ?? throw new ArgumentException($"{action.GetType().Name} is not a signable action", nameof(action));
}
