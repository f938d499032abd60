using Solvent.Core.Settlement;

namespace Solvent.Core.Tests.Settlement;

/// <summary>The incremental frontier against a naive recompute of the full depth-32 tree.</summary>
public sealed class WithdrawalTreeTests
{
    // Naive: hash the padded level list all the way up (only the occupied prefix needs computing).
    private static byte[] NaiveRoot(List<byte[]> leaves)
    {
        byte[] zero = new byte[32];
        var level = new List<byte[]>(leaves);
        for (int h = 0; h < 32; h++)
        {
            var next = new List<byte[]>();
            for (int i = 0; i < System.Math.Max(1, level.Count); i += 2)
            {
                byte[] l = i < level.Count ? level[i] : zero;
                byte[] r = i + 1 < level.Count ? level[i + 1] : zero;
                next.Add(Keccak.Hash([.. l, .. r]));
            }

            level = next;
            zero = Keccak.Hash([.. zero, .. zero]);
        }

        return level[0];
    }

    [Fact]
    public void Frontier_root_and_proofs_match_a_naive_tree_for_every_size_up_to_70()
    {
        var tree = new WithdrawalTree();
        var leaves = new List<byte[]>();
        Assert.Equal(NaiveRoot(leaves), tree.Root());
        for (int n = 1; n <= 70; n++)
        {
            byte[] leaf = Keccak.Hash(BitConverter.GetBytes(n));
            Assert.True(tree.TryAppend(leaf));
            leaves.Add(leaf);
            byte[] root = tree.Root();
            Assert.Equal(NaiveRoot(leaves), root);
            foreach (int i in new[] { 0, n / 2, n - 1 })
            {
                byte[][] proof = WithdrawalTree.Proof(leaves, i);
                Assert.Equal(32, proof.Length);
                Assert.Equal(root, WithdrawalTree.RootFromProof(leaves[i], proof, (ulong)i));
                Assert.NotEqual(root, WithdrawalTree.RootFromProof(leaves[i], proof, (ulong)(i ^ 1)));
            }
        }
    }

    [Fact]
    public void The_empty_root_is_the_32nd_zero_hash()
    {
        byte[] z = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            z = Keccak.Hash([.. z, .. z]);
        }

        Assert.Equal(z, new WithdrawalTree().Root());
        Assert.Equal(z, WithdrawalTree.Zero(32).ToArray());
    }

    [Fact]
    public void Keccak_of_the_empty_string_is_ethereums()
    {
        Assert.Equal("C5D2460186F7233C927E7DB2DCC703C0E500B653CA82273B7BFAD8045D85A470", Convert.ToHexString(Keccak.Hash([])));
    }

    [Fact]
    public void Exit_tree_pads_to_a_power_of_two_and_proves_every_leaf()
    {
        Assert.Equal(new byte[32], ExitTree.Root([]));
        byte[] a = Keccak.Hash([1]), b = Keccak.Hash([2]), c = Keccak.Hash([3]);
        Assert.Equal(a, ExitTree.Root([a]));
        byte[] ab = Keccak.Hash([.. a, .. b]);
        byte[] c0 = Keccak.Hash([.. c, .. new byte[32]]);
        Assert.Equal(Keccak.Hash([.. ab, .. c0]), ExitTree.Root([a, b, c]));
        Assert.Equal([b, c0], ExitTree.Proof([a, b, c], 0));
        Assert.Equal([new byte[32], ab], ExitTree.Proof([a, b, c], 2));
    }
}
