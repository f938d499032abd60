using System.Text.Json.Nodes;

namespace Solvent.Crypto;

/// <summary>One account's inclusion proof, in the JSON shape of docs/node-api.md "State proofs".</summary>
/// <param name="Root">The accounts root the proof was built against.</param>
/// <param name="Index">Leaf index = engine account id.</param>
/// <param name="Leaf">The account's canonical bytes.</param>
/// <param name="Path">Sibling hashes, leaf level first.</param>
public sealed record StateProof(byte[] Root, int Index, byte[] Leaf, byte[][] Path)
{
    /// <summary>Checks the proof against a trusted root (not the one it carries).</summary>
    public bool Verify(ReadOnlySpan<byte> trustedRoot) => MerkleTree.Verify(trustedRoot, Leaf, Index, Path);

    /// <summary><c>{"root","index","leaf","path"}</c> with 0x-hex strings, as <c>solvent verify</c> reads it.</summary>
    public JsonObject ToJson()
    {
        var path = new JsonArray();
        foreach (byte[] p in Path)
        {
            path.Add(Hex(p));
        }

        return new JsonObject { ["root"] = Hex(Root), ["index"] = Index, ["leaf"] = Hex(Leaf), ["path"] = path };
    }

    private static string Hex(byte[] b) => "0x" + Convert.ToHexStringLower(b);
}
