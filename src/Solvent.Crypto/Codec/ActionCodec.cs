using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// The wire format of signed actions: <c>{"type":"Deposit","message":{…},"signature":"0x…","signer":"0x…"}</c>
/// with the message fields exactly as in <see cref="ActionTypes"/>; <c>signer</c> is optional and, when
/// present, must be the address the signature recovers (a signature made under another chain id
/// recovers a stranger, which only this claim tells apart from a new user). Decoding checks the schema strictly (no missing,
/// extra, duplicate or wrong-typed field; integers above 2^53 only as decimal strings), hashes the message
/// per EIP-712 and recovers the signer, who becomes the action's <c>Signer</c>. It never throws.
/// </summary>
public static partial class ActionCodec
{
    // 2^53: the largest integer every JSON parser (JavaScript's doubles) reads exactly.
    private const ulong MaxSafeInteger = 1UL << 53;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };

    [ThreadStatic]
    private static byte[]? _words;

    /// <summary>Decodes and verifies one signed action with <see cref="Secp256k1.Fastest"/> (libsecp256k1 when installed, else BouncyCastle).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8Json, Eip712Domain domain, [NotNullWhen(true)] out SignedAction? action, out string errorCode, out string errorMessage) =>
        TryDecode(utf8Json, domain, Secp256k1.Fastest, out action, out errorCode, out errorMessage);

    /// <summary>Decodes and verifies one signed action with the given signature back end.</summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> utf8Json,
        Eip712Domain domain,
        ISignatureRecovery recovery,
        [NotNullWhen(true)] out SignedAction? action,
        out string errorCode,
        out string errorMessage)
    {
        action = null;
        try
        {
            return Decode(utf8Json, domain, recovery, out action, out errorCode, out errorMessage);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Utf8JsonReader reports some malformed inputs (e.g. invalid UTF-8 in a string) as InvalidOperationException.
            return Fail(CodecErrors.MalformedJson, "invalid JSON: " + e.Message, out errorCode, out errorMessage);
        }
    }

    /// <summary>
    /// Parses <c>{"type","message"}</c> (a <c>signature</c> member is optional and not checked) and returns what a
    /// wallet must sign: the action with a zero signer, its nonce and the EIP-712 digest. For signing tools and the
    /// conformance suite. Never throws.
    /// </summary>
    public static bool TryDigest(ReadOnlySpan<byte> utf8Json, Eip712Domain domain, [NotNullWhen(true)] out SignedAction? unsigned, out string errorCode, out string errorMessage)
    {
        unsigned = null;
        try
        {
            return Decode(utf8Json, domain, null, out unsigned, out errorCode, out errorMessage);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Fail(CodecErrors.MalformedJson, "invalid JSON: " + e.Message, out errorCode, out errorMessage);
        }
    }

    // recovery == null: digest only (no signature required, signer left zero).
    private static bool Decode(ReadOnlySpan<byte> json, Eip712Domain domain, ISignatureRecovery? recovery, out SignedAction? action, out string code, out string message)
    {
        action = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail(CodecErrors.MalformedJson, "a signed action is a JSON object", out code, out message);
        }

        ActionType? type = null;
        int messageStart = -1, messageEnd = -1;
        bool haveSignature = false;
        Address? claimed = null;
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                if (type is not null)
                {
                    return Fail(CodecErrors.DuplicateField, "'type' appears twice", out code, out message);
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Fail(CodecErrors.WrongFieldType, "'type' must be a string", out code, out message);
                }

                type = FindType(ref reader);
                if (type is null)
                {
                    return Fail(CodecErrors.UnknownType, $"unknown action type '{Clip(reader.GetString())}'", out code, out message);
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                if (messageStart >= 0)
                {
                    return Fail(CodecErrors.DuplicateField, "'message' appears twice", out code, out message);
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return Fail(CodecErrors.WrongFieldType, "'message' must be an object", out code, out message);
                }

                // The type may come after the message: remember where it is and parse it at the end.
                messageStart = (int)reader.TokenStartIndex;
                reader.Skip();
                messageEnd = (int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                if (haveSignature)
                {
                    return Fail(CodecErrors.DuplicateField, "'signature' appears twice", out code, out message);
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !TryReadHex(ref reader, signature))
                {
                    return Fail(CodecErrors.BadSignatureEncoding, "'signature' must be \"0x\" followed by 130 hex digits (r ‖ s ‖ v)", out code, out message);
                }

                haveSignature = true;
            }
            else if (reader.ValueTextEquals("signer"u8))
            {
                if (claimed is not null)
                {
                    return Fail(CodecErrors.DuplicateField, "'signer' appears twice", out code, out message);
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !Address.TryParse(reader.GetString(), out Address named))
                {
                    return Fail(CodecErrors.WrongFieldType, "'signer' must be a 0x address (40 hex digits)", out code, out message);
                }

                claimed = named;
            }
            else
            {
                return Fail(CodecErrors.UnknownField, $"unknown member '{Clip(reader.GetString())}' (expected type, message, signature, signer)", out code, out message);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return Fail(CodecErrors.MalformedJson, "trailing content after the action object", out code, out message);
        }

        if (type is null || messageStart < 0 || (!haveSignature && recovery is not null))
        {
            string missing = type is null ? "type" : messageStart < 0 ? "message" : "signature";
            return Fail(CodecErrors.MissingField, $"missing '{missing}'", out code, out message);
        }

        byte[] words = _words ??= new byte[64 * 32];
        if (!TryParseMessage(json[messageStart..messageEnd], type, words, out code, out message))
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        type.StructHash(words, hash);
        byte[] digest = new byte[32];
        domain.Digest(hash, digest);
        Address signer = default;
        SignatureError error = recovery?.TryRecover(digest, signature, out signer) ?? SignatureError.None;
        if (error != SignatureError.None)
        {
            return SignatureFailure(error, out code, out message);
        }

        if (recovery is not null && claimed is { } expected && !expected.Equals(signer))
        {
            return Fail(CodecErrors.SignerMismatch, $"the signature recovers {signer}, not the named signer {expected}: signed for another chain id or domain, or altered", out code, out message);
        }

        var fields = new FieldReader(words);
        action = new SignedAction(type.Build(fields, signer), signer, fields.U64(type.NonceField), digest);
        code = string.Empty;
        message = string.Empty;
        return true;
    }

    private static ActionType? FindType(ref Utf8JsonReader reader)
    {
        foreach (ActionType t in ActionTypes.All)
        {
            if (reader.ValueTextEquals(t.Utf8Name))
            {
                return t;
            }
        }

        return null;
    }

    private static bool TryParseMessage(ReadOnlySpan<byte> json, ActionType type, byte[] words, out string code, out string message)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        IReadOnlyList<FieldSpec> fields = type.Fields;
        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = -1;
            for (int i = 0; i < fields.Count; i++)
            {
                if (reader.ValueTextEquals(type.Utf8FieldNames[i]))
                {
                    index = i;
                    break;
                }
            }

            if (index < 0)
            {
                return Fail(CodecErrors.UnknownField, $"{type.Name} has no field '{Clip(reader.GetString())}'", out code, out message);
            }

            if ((seen & (1UL << index)) != 0)
            {
                return Fail(CodecErrors.DuplicateField, $"field '{fields[index].Name}' appears twice", out code, out message);
            }

            seen |= 1UL << index;
            reader.Read();
            if (!TryParseValue(ref reader, fields[index], words.AsSpan(index * 32, 32), out code, out message))
            {
                return false;
            }
        }

        for (int i = 0; i < fields.Count; i++)
        {
            if ((seen & (1UL << i)) == 0)
            {
                return Fail(CodecErrors.MissingField, $"{type.Name} needs field '{fields[i].Name}' ({fields[i].SolidityType})", out code, out message);
            }
        }

        code = string.Empty;
        message = string.Empty;
        return true;
    }

    private static bool TryParseValue(ref Utf8JsonReader reader, FieldSpec field, scoped Span<byte> word, out string code, out string message)
    {
        word.Clear();
        switch (field.Kind)
        {
            case FieldKind.Address:
                if (reader.TokenType != JsonTokenType.String || !TryReadHex(ref reader, word[12..]))
                {
                    return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}' must be an address (\"0x\" and 40 hex digits)", out code, out message);
                }

                break;
            case FieldKind.Bool:
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}' must be true or false", out code, out message);
                }

                word[31] = reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0;
                break;
            case FieldKind.Int64:
                if (!TryReadInteger(ref reader, field, out bool negative, out UInt128 magnitude, out code, out message))
                {
                    return false;
                }

                if (negative ? magnitude > (UInt128)long.MaxValue + 1 : magnitude > long.MaxValue)
                {
                    return Fail(CodecErrors.OutOfRange, $"field '{field.Name}' must fit int64", out code, out message);
                }

                long v = negative ? (magnitude == (UInt128)long.MaxValue + 1 ? long.MinValue : -(long)magnitude) : (long)magnitude;
                if (v < 0)
                {
                    word[..24].Fill(0xFF);
                }

                BinaryPrimitives.WriteInt64BigEndian(word[24..], v);
                break;
            default:
                if (!TryReadInteger(ref reader, field, out bool neg, out UInt128 value, out code, out message))
                {
                    return false;
                }

                if ((neg && value != 0) || value > field.Max)
                {
                    return Fail(CodecErrors.OutOfRange, $"field '{field.Name}' must be between 0 and {field.Max}", out code, out message);
                }

                BinaryPrimitives.WriteUInt128BigEndian(word[16..], value);
                break;
        }

        code = string.Empty;
        message = string.Empty;
        return true;
    }

    // An integer as a JSON number (|v| ≤ 2^53, no fraction or exponent) or a decimal string ("-" allowed).
    private static bool TryReadInteger(ref Utf8JsonReader reader, FieldSpec field, out bool negative, out UInt128 magnitude, out string code, out string message)
    {
        negative = false;
        magnitude = 0;
        Span<byte> text = stackalloc byte[48];
        int length;
        if (reader.TokenType == JsonTokenType.Number)
        {
            // Numbers are never escaped; the raw token is the text.
            ReadOnlySpan<byte> raw = reader.HasValueSequence ? default : reader.ValueSpan;
            if (raw.Length == 0 || raw.Length > text.Length)
            {
                return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}': integers above 2^53 must be decimal strings", out code, out message);
            }

            raw.CopyTo(text);
            length = raw.Length;
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueSpan.Length > text.Length || reader.HasValueSequence)
            {
                return Fail(CodecErrors.OutOfRange, $"field '{field.Name}' is too long for an integer", out code, out message);
            }

            length = reader.CopyString(text);
        }
        else
        {
            return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}' must be an integer ({field.SolidityType})", out code, out message);
        }

        ReadOnlySpan<byte> digits = text[..length];
        if (digits.Length > 0 && digits[0] == (byte)'-')
        {
            negative = true;
            digits = digits[1..];
        }

        if (digits.Length == 0)
        {
            return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}' must be a base-10 integer", out code, out message);
        }

        foreach (byte c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}' must be a base-10 integer (no fraction, exponent or sign other than '-')", out code, out message);
            }

            UInt128 digit = (uint)(c - '0');
            if (magnitude > (UInt128.MaxValue - digit) / 10)
            {
                return Fail(CodecErrors.OutOfRange, $"field '{field.Name}' is out of range for {field.SolidityType}", out code, out message);
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (reader.TokenType == JsonTokenType.Number && magnitude > MaxSafeInteger)
        {
            return Fail(CodecErrors.WrongFieldType, $"field '{field.Name}': integers above 2^53 must be decimal strings", out code, out message);
        }

        code = string.Empty;
        message = string.Empty;
        return true;
    }

    // "0x" + exactly 2·output.Length hex digits, any case.
    private static bool TryReadHex(ref Utf8JsonReader reader, scoped Span<byte> output)
    {
        // Escaped text is never shorter than its unescaped form, so a longer token cannot fit.
        Span<byte> buffer = stackalloc byte[2 + (2 * Secp256k1.SignatureLength)];
        if (reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length)
        {
            return false;
        }

        int length = reader.CopyString(buffer);
        ReadOnlySpan<byte> s = buffer[..length];
        if (s.Length != 2 + (2 * output.Length) || s[0] != (byte)'0' || (s[1] | 0x20) != (byte)'x')
        {
            return false;
        }

        for (int i = 0; i < output.Length; i++)
        {
            int hi = HexValue(s[2 + (2 * i)]);
            int lo = HexValue(s[3 + (2 * i)]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            output[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool SignatureFailure(SignatureError error, out string code, out string message) => error switch
    {
        SignatureError.InvalidR => Fail(CodecErrors.InvalidSignatureR, "signature r must be in [1, n)", out code, out message),
        SignatureError.InvalidS => Fail(CodecErrors.InvalidSignatureS, "signature s must be in [1, n)", out code, out message),
        SignatureError.HighS => Fail(CodecErrors.HighS, "signature s is in the upper half of the curve order (malleable); use its low-s twin n − s", out code, out message),
        SignatureError.InvalidV => Fail(CodecErrors.InvalidSignatureV, "signature v must be 27 or 28 (or 0 or 1)", out code, out message),
        SignatureError.BadLength => Fail(CodecErrors.BadSignatureEncoding, "signature must be 65 bytes", out code, out message),
        _ => Fail(CodecErrors.RecoveryFailed, "no public key recovers from this signature", out code, out message),
    };

    private static bool Fail(string code, string message, out string codeOut, out string messageOut)
    {
        codeOut = code;
        messageOut = message;
        return false;
    }

    private static string Clip(string? s) => s is null ? string.Empty : s.Length <= 64 ? s : s[..64] + "…";
}
