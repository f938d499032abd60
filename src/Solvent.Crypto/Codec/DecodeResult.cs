namespace Solvent.Crypto;

/// <summary>The outcome of decoding one request in a batch: an action, or an error code and message.</summary>
/// <param name="Action">The verified action, or null on failure.</param>
/// <param name="ErrorCode">A <see cref="CodecErrors"/> code on failure, else empty.</param>
/// <param name="ErrorMessage">Human-readable reason on failure, else empty.</param>
public readonly record struct DecodeResult(SignedAction? Action, string ErrorCode, string ErrorMessage)
{
    /// <summary>Whether the request decoded and its signature recovered.</summary>
    public bool Ok => Action is not null;
}
