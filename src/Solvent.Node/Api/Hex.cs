namespace Solvent.Node.Api;

/// <summary>Byte strings in the API: <c>0x</c> + lower-case hex (roots, canonical bytes, proof paths).</summary>
public static class Hex
{
    /// <summary>"0x…" form of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
