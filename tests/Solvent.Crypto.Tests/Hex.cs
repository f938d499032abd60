namespace Solvent.Crypto.Tests;

internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    public static string Of(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
