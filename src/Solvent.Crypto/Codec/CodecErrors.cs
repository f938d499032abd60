namespace Solvent.Crypto;

/// <summary>Stable error codes of <c>ActionCodec.TryDecode</c>; clients key on these strings.</summary>
public static class CodecErrors
{
    /// <summary>The optional <c>signer</c> member names another address than the signature recovers (signed under another chain id or domain, or altered).</summary>
    public const string SignerMismatch = "SIGNER_MISMATCH";

    /// <summary>Not UTF-8 JSON, not an object where one is required, or nested too deep.</summary>
    public const string MalformedJson = "MALFORMED_JSON";

    /// <summary>The <c>type</c> names no signable action.</summary>
    public const string UnknownType = "UNKNOWN_TYPE";

    /// <summary>A required member (top-level or message field) is absent.</summary>
    public const string MissingField = "MISSING_FIELD";

    /// <summary>A member the schema does not list.</summary>
    public const string UnknownField = "UNKNOWN_FIELD";

    /// <summary>A member appears twice (the signature would otherwise be ambiguous).</summary>
    public const string DuplicateField = "DUPLICATE_FIELD";

    /// <summary>A value of the wrong JSON kind (string for bool, fraction for an integer, number above 2^53, bad hex address).</summary>
    public const string WrongFieldType = "WRONG_FIELD_TYPE";

    /// <summary>An integer outside its field's range.</summary>
    public const string OutOfRange = "OUT_OF_RANGE";

    /// <summary>The signature is not "0x" followed by 130 hex digits.</summary>
    public const string BadSignatureEncoding = "BAD_SIGNATURE_ENCODING";

    /// <summary>r is zero or ≥ n.</summary>
    public const string InvalidSignatureR = "INVALID_SIGNATURE_R";

    /// <summary>s is zero or ≥ n.</summary>
    public const string InvalidSignatureS = "INVALID_SIGNATURE_S";

    /// <summary>v is not 0, 1, 27 or 28.</summary>
    public const string InvalidSignatureV = "INVALID_SIGNATURE_V";

    /// <summary>s &gt; n/2 (malleable form; sign with a library that normalises to low-s).</summary>
    public const string HighS = "HIGH_S";

    /// <summary>No public key recovers from this signature and digest.</summary>
    public const string RecoveryFailed = "RECOVERY_FAILED";

    /// <summary>Every code, for documentation and tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        MalformedJson, UnknownType, MissingField, UnknownField, DuplicateField, WrongFieldType, OutOfRange,
        BadSignatureEncoding, InvalidSignatureR, InvalidSignatureS, InvalidSignatureV, HighS, RecoveryFailed,
    ];
}
