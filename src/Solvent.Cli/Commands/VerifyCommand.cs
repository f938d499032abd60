using System.CommandLine;
using System.Text.Json;
using Solvent.Crypto;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent verify --root 0x… --proof FILE|-</c>: checks a state proof offline (format in docs/node-api.md,
/// "State proofs"): exit 0 when the account bytes are leaf <c>index</c> under the root, 1 otherwise.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build()
    {
        var root = new Option<string>("--root") { Description = "Trusted accounts root (0x + 64 hex digits): a block header's accountsRoot (not its stateRoot), as in the proof's own \"root\"", Required = true };
        var proof = new Option<string>("--proof") { Description = "Proof JSON file, or - for standard input", Required = true };
        var cmd = new Command("verify", "Check an account's Merkle state proof against a root, offline (exit 0 valid, 1 not)") { root, proof };
        cmd.SetAction(p =>
        {
            (bool ok, string message) = Check(p.GetValue(root)!, p.GetValue(proof)!);
            (ok ? Console.Out : Console.Error).WriteLine(message);
            return ok ? 0 : 1;
        });
        return cmd;
    }

    internal static (bool Ok, string Message) Check(string rootText, string proofFile)
    {
        if (!TryHex(rootText, out byte[] root) || root.Length != 32)
        {
            return (false, "error: --root must be 0x followed by 64 hex digits");
        }

        string text;
        try
        {
            text = proofFile == "-" ? Console.In.ReadToEnd() : File.ReadAllText(proofFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (false, $"error: cannot read proof '{proofFile}': {e.Message}");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return (false, $"error: proof is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                return (false, "error: proof must be a JSON object with index, leaf and path");
            }

            if (!r.TryGetProperty("index", out JsonElement ie) || ie.ValueKind != JsonValueKind.Number || !ie.TryGetInt64(out long index) || index < 0)
            {
                return (false, "error: proof.index must be a non-negative integer");
            }

            if (!r.TryGetProperty("leaf", out JsonElement le) || le.ValueKind != JsonValueKind.String || !TryHex(le.GetString()!, out byte[] leaf))
            {
                return (false, "error: proof.leaf must be the account's canonical bytes as 0x-hex");
            }

            if (!r.TryGetProperty("path", out JsonElement pe) || pe.ValueKind != JsonValueKind.Array)
            {
                return (false, "error: proof.path must be an array of 32-byte 0x-hex sibling hashes");
            }

            var path = new List<byte[]>();
            foreach (JsonElement s in pe.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.String || !TryHex(s.GetString()!, out byte[] sibling) || sibling.Length != 32)
                {
                    return (false, $"error: proof.path[{path.Count}] must be 0x followed by 64 hex digits");
                }

                path.Add(sibling);
            }

            if (r.TryGetProperty("root", out JsonElement re) && re.ValueKind == JsonValueKind.String
                && TryHex(re.GetString()!, out byte[] claimed) && !claimed.AsSpan().SequenceEqual(root))
            {
                return (false, $"INVALID: the proof was made for root {re.GetString()}, not {rootText}");
            }

            if (!MerkleTree.Verify(root, leaf, index, path))
            {
                return (false, $"INVALID: leaf {index} ({leaf.Length} bytes) with a {path.Count}-step path does not hash to root {rootText}");
            }

            return (true, $"ok: leaf {index} ({leaf.Length} bytes, leaf hash 0x{Convert.ToHexStringLower(LeafHash(leaf))}) is in root {rootText} (depth {path.Count})");
        }
    }

    private static byte[] LeafHash(byte[] leaf)
    {
        byte[] h = new byte[32];
        MerkleTree.HashLeaf(leaf, h);
        return h;
    }

    private static bool TryHex(string s, out byte[] bytes)
    {
        bytes = [];
        if (s.Length < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(s.AsSpan(2));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
