namespace Solvent.Node.Ingress;

/// <summary>
/// Turns signed action JSON into a verified action (schema check + signature recovery). Thread-safe:
/// ingress calls it from many request threads at once, before anything reaches the sequencer, and
/// replay calls it again for every logged action.
/// </summary>
public interface IActionDecoder
{
    /// <summary>Decodes and verifies; on failure gives a stable SCREAMING_SNAKE code and a human message.</summary>
    bool TryDecode(ReadOnlySpan<byte> json, out DecodedAction? action, out string errorCode, out string errorMessage);

    /// <summary>The signing domain and action types as JSON (served at <c>GET /v1/eip712</c>).</summary>
    string DescribeSchema();
}
