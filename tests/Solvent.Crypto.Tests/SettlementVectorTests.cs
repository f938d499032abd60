using System.Numerics;
using System.Text.Json;
using Solvent.Core.Settlement;
using Solvent.Core.State;
using Solvent.Crypto.Settlement;

namespace Solvent.Crypto.Tests;

/// <summary>
/// The C# settlement hashing against the golden vectors the vault contracts' suite generates from an
/// independent JavaScript implementation (tests/conformance/vectors/settlement.json).
/// </summary>
public sealed class SettlementVectorTests
{
    private static readonly JsonElement V = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "settlement.json"))).RootElement;

    private static byte[] B(JsonElement e) => Hex.Bytes(e.GetString()!);

    private static long L(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetInt64() : long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Withdrawal_leaves_roots_after_each_append_and_proofs_match()
    {
        JsonElement w = V.GetProperty("withdrawals");
        Assert.Equal(B(w.GetProperty("emptyRoot")), new WithdrawalTree().Root());
        Assert.Equal(B(V.GetProperty("published").GetProperty("emptyRoot")), new WithdrawalTree().Root());
        int z = 0;
        foreach (JsonElement h in w.GetProperty("zeroHashes").EnumerateArray())
        {
            Assert.Equal(B(h), WithdrawalTree.Zero(z++).ToArray());
        }

        var tree = new WithdrawalTree();
        var leaves = new List<byte[]>();
        int checkedLeaves = 0;
        JsonElement[] afterEach = [.. w.GetProperty("rootAfterEachAppend").EnumerateArray()];
        int i = 0;
        foreach (JsonElement r in w.GetProperty("records").EnumerateArray())
        {
            // Core's amounts are longs; vector records beyond that (uint256 extremes) are checked through their leaf only.
            var amount = BigInteger.Parse(r.GetProperty("amount").ToString(), System.Globalization.CultureInfo.InvariantCulture);
            byte[] leaf = B(r.GetProperty("leaf"));
            if (amount <= long.MaxValue && BigInteger.Parse(r.GetProperty("chainId").ToString(), System.Globalization.CultureInfo.InvariantCulture) <= long.MaxValue)
            {
                var rec = new WithdrawalRecord(
                    (ulong)L(r.GetProperty("id")), Address.Parse(r.GetProperty("recipient").GetString()!), L(r.GetProperty("chainId")),
                    Address.Parse(r.GetProperty("token").GetString()!), (long)amount);
                Assert.Equal(leaf, rec.Leaf());
                checkedLeaves++;
            }

            Assert.True(tree.TryAppend(leaf));
            leaves.Add(leaf);
            Assert.Equal(B(afterEach[i++]), tree.Root());
        }

        Assert.Equal(B(w.GetProperty("root")), tree.Root());
        Assert.True(checkedLeaves >= 3, "most vector records fit Core's ranges");
        foreach (JsonElement p in w.GetProperty("proofs").EnumerateArray())
        {
            int id = (int)L(p.GetProperty("id"));
            byte[][] expected = [.. p.GetProperty("siblings").EnumerateArray().Select(B)];
            Assert.Equal(expected, WithdrawalTree.Proof(leaves, id));
        }
    }

    [Fact]
    public void Published_hyperlane_tree_root_matches()
    {
        JsonElement h = V.GetProperty("published").GetProperty("hyperlane");
        var tree = new WithdrawalTree();
        var leaves = new List<byte[]>();
        foreach (JsonElement l in h.GetProperty("leaves").EnumerateArray())
        {
            tree.TryAppend(B(l));
            leaves.Add(B(l));
        }

        Assert.Equal(B(h.GetProperty("root")), tree.Root());
        byte[][] proof = WithdrawalTree.Proof(leaves, 2);
        Assert.Equal(B(h.GetProperty("index2Proof0")), proof[0]);
        Assert.Equal(B(h.GetProperty("index2Proof1")), proof[1]);
    }

    [Fact]
    public void Exit_leaves_sort_root_and_proofs_match()
    {
        JsonElement x = V.GetProperty("exits");
        // Sorting ignores the amount, so amounts beyond a long (the vectors include 2^128) sort as a placeholder.
        var inputs = new List<(ExitLeaf Leaf, BigInteger Amount)>();
        foreach (JsonElement e in x.GetProperty("input").EnumerateArray())
        {
            var amount = BigInteger.Parse(e.GetProperty("amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            if (amount > 0)
            {
                inputs.Add((new ExitLeaf(Address.Parse(e.GetProperty("owner").GetString()!), L(e.GetProperty("chainId")), Address.Parse(e.GetProperty("token").GetString()!), amount <= long.MaxValue ? (long)amount : 1), amount));
            }
        }

        inputs.Sort((a, b) => a.Leaf.CompareTo(b.Leaf));
        JsonElement[] sorted = [.. x.GetProperty("sorted").EnumerateArray()];
        Assert.Equal(sorted.Length, inputs.Count);
        var hashes = new List<byte[]>();
        for (int i = 0; i < sorted.Length; i++)
        {
            Assert.Equal(Address.Parse(sorted[i].GetProperty("owner").GetString()!), inputs[i].Leaf.Owner);
            Assert.Equal(L(sorted[i].GetProperty("chainId")), inputs[i].Leaf.ChainId);
            Assert.Equal(Address.Parse(sorted[i].GetProperty("token").GetString()!), inputs[i].Leaf.Token);
            if (inputs[i].Amount <= long.MaxValue)
            {
                Assert.Equal(B(sorted[i].GetProperty("leaf")), inputs[i].Leaf.Leaf());
            }

            hashes.Add(B(sorted[i].GetProperty("leaf")));
        }

        Assert.Equal(B(x.GetProperty("root")), ExitTree.Root(hashes));
        for (int i = 0; i < sorted.Length; i++)
        {
            Assert.Equal([.. sorted[i].GetProperty("proof").EnumerateArray().Select(B)], ExitTree.Proof(hashes, i));
        }

        JsonElement s = x.GetProperty("single");
        var single = new ExitLeaf(Address.Parse(s.GetProperty("owner").GetString()!), L(s.GetProperty("chainId")), Address.Parse(s.GetProperty("token").GetString()!), L(s.GetProperty("amount")));
        Assert.Equal(B(s.GetProperty("leaf")), single.Leaf());
        Assert.Equal(B(s.GetProperty("root")), ExitTree.Root([single.Leaf()]));
        Assert.Empty(ExitTree.Proof([single.Leaf()], 0));
        Assert.Equal(B(x.GetProperty("emptyRoot")), ExitTree.Root([]));
    }

    [Fact]
    public void Forced_roots_match()
    {
        foreach (JsonElement f in V.GetProperty("forced").EnumerateArray())
        {
            long[] ids = [.. f.GetProperty("chainIds").EnumerateArray().Select(L)];
            ulong[] counts = [.. f.GetProperty("counts").EnumerateArray().Select(c => (ulong)L(c))];
            Assert.Equal(B(f.GetProperty("forcedRoot")), SettlementState.ForcedRootOf(ids, counts));
        }
    }

    [Fact]
    public void Attestation_type_hash_digest_and_signature_match()
    {
        JsonElement a = V.GetProperty("attestation");
        Assert.Equal(AttestationTypedData.EncodedType, a.GetProperty("encodedType").GetString());
        JsonElement d = a.GetProperty("domain");
        var domain = new Eip712Domain(L(d.GetProperty("chainId")), d.GetProperty("name").GetString()!, d.GetProperty("version").GetString()!, Address.Parse(d.GetProperty("verifyingContract").GetString()!));
        Assert.Equal(B(a.GetProperty("domainSeparator")), domain.Separator.ToArray());
        JsonElement m = a.GetProperty("message");
        var att = new Attestation((ulong)L(m.GetProperty("height")), B(m.GetProperty("stateRoot")), B(m.GetProperty("withdrawalsRoot")), B(m.GetProperty("exitRoot")), B(m.GetProperty("forcedRoot")));
        Assert.Equal(B(a.GetProperty("structHash")), AttestationTypedData.StructHash(att));
        byte[] digest = AttestationTypedData.Digest(domain, att);
        Assert.Equal(B(a.GetProperty("digest")), digest);
        byte[] key = B(a.GetProperty("signerPrivateKey"));
        Assert.Equal(Address.Parse(a.GetProperty("signer").GetString()!), Secp256k1.AddressOf(key));
        Assert.Equal(B(a.GetProperty("signature")), Secp256k1.Sign(digest, key));
    }
}
