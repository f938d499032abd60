namespace Solvent.Crypto;

/// <summary>
/// Decodes and verifies many signed actions on all cores: signature recovery is the ingress's
/// bottleneck and each request is independent, so results do not depend on scheduling.
/// </summary>
public static class BatchVerifier
{
    /// <summary>Decodes <paramref name="requests"/>[i] into <paramref name="results"/>[i] in parallel.</summary>
    /// <exception cref="ArgumentException"><paramref name="results"/> is shorter than <paramref name="requests"/>.</exception>
    public static void DecodeAll(
        ReadOnlyMemory<ReadOnlyMemory<byte>> requests,
        Eip712Domain domain,
        Memory<DecodeResult> results,
        ISignatureRecovery? recovery = null,
        int maxDegreeOfParallelism = -1)
    {
        if (results.Length < requests.Length)
        {
            throw new ArgumentException("results must be at least as long as requests", nameof(results));
        }

        ISignatureRecovery backend = recovery ?? Secp256k1.Fastest;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, requests.Length, options, i =>
        {
            ActionCodec.TryDecode(requests.Span[i].Span, domain, backend, out SignedAction? action, out string code, out string message);
            results.Span[i] = new DecodeResult(action, code, message);
        });
    }
}
