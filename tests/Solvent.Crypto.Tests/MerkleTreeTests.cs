using CsCheck;

namespace Solvent.Crypto.Tests;

public class MerkleTreeTests
{
    [Fact]
    public void Empty_and_single_leaf_roots_follow_the_documented_rule()
    {
        var tree = new MerkleTree();
        Assert.Equal(new byte[32], tree.Root());
        tree.SetLeaf(0, [1, 2, 3]);
        Assert.Equal(Keccak256.Hash([0x00, 1, 2, 3]), tree.Root());
        Assert.Empty(tree.Proof(0));
    }

    [Fact]
    public void Three_leaves_pad_with_a_zero_slot()
    {
        // Written out by hand from the spec: depth 2, slot 3 holds 32 zero bytes.
        var tree = new MerkleTree();
        byte[][] leaves = [[0xA], [0xB], [0xC]];
        for (int i = 0; i < 3; i++)
        {
            tree.SetLeaf(i, leaves[i]);
        }

        byte[] L(byte[] b) => Keccak256.Hash([0x00, .. b]);
        byte[] N(byte[] a, byte[] b) => Keccak256.Hash([0x01, .. a, .. b]);
        Assert.Equal(N(N(L(leaves[0]), L(leaves[1])), N(L(leaves[2]), new byte[32])), tree.Root());
    }

    [Fact]
    public void Incremental_root_equals_a_rebuild_after_random_updates() =>
        Gen.Select(Gen.Int[0, 300], Gen.Int).Sample(t =>
        {
            (int initial, int seed) = t;
            var rnd = new Random(seed);
            var tree = new MerkleTree();
            var leaves = new List<byte[]>();
            for (int i = 0; i < initial; i++)
            {
                leaves.Add(RandomLeaf(rnd));
                tree.SetLeaf(i, leaves[i]);
            }

            for (int round = 0; round < 5; round++)
            {
                int updates = rnd.Next(0, 20);
                for (int u = 0; u < updates; u++)
                {
                    // Mostly overwrite, sometimes append.
                    int index = leaves.Count == 0 || rnd.Next(4) == 0 ? leaves.Count : rnd.Next(leaves.Count);
                    byte[] leaf = RandomLeaf(rnd);
                    if (index == leaves.Count)
                    {
                        leaves.Add(leaf);
                    }
                    else
                    {
                        leaves[index] = leaf;
                    }

                    tree.SetLeaf(index, leaf);
                }

                Assert.Equal(ReferenceRoot(leaves), tree.Root());
            }
        }, iter: 100);

    [Fact]
    public void Every_proof_verifies_and_any_flipped_bit_fails() =>
        Gen.Select(Gen.Int[1, 70], Gen.Int).Sample(t =>
        {
            (int count, int seed) = t;
            var rnd = new Random(seed);
            var tree = new MerkleTree();
            var leaves = new List<byte[]>();
            for (int i = 0; i < count; i++)
            {
                leaves.Add(RandomLeaf(rnd));
                tree.SetLeaf(i, leaves[i]);
            }

            byte[] root = tree.Root();
            for (int i = 0; i < count; i++)
            {
                byte[][] path = tree.Proof(i);
                Assert.Equal(MerkleTree.DepthFor(count), path.Length);
                Assert.True(MerkleTree.Verify(root, leaves[i], i, path));

                // Flip one bit of the leaf, of a sibling, or of the root; or claim another index.
                int what = rnd.Next(path.Length == 0 ? 3 : 4);
                byte[] leaf = (byte[])leaves[i].Clone();
                byte[] badRoot = (byte[])root.Clone();
                byte[][] badPath = [.. path.Select(p => (byte[])p.Clone())];
                long index = i;
                switch (what)
                {
                    case 0: leaf[rnd.Next(leaf.Length)] ^= (byte)(1 << rnd.Next(8)); break;
                    case 1: badRoot[rnd.Next(32)] ^= (byte)(1 << rnd.Next(8)); break;
                    case 2: index = i ^ (1L << rnd.Next(Math.Max(1, path.Length))); break;
                    default: badPath[rnd.Next(path.Length)][rnd.Next(32)] ^= (byte)(1 << rnd.Next(8)); break;
                }

                Assert.False(MerkleTree.Verify(badRoot, leaf, index, badPath), $"tamper {what} at {i} of {count}");
            }
        }, iter: 100);

    [Fact]
    public void Large_updates_hashed_in_parallel_match_a_rebuild()
    {
        // Enough dirty leaves that the lower levels take the parallel path.
        var rnd = new Random(11);
        var tree = new MerkleTree();
        var leaves = new List<byte[]>();
        for (int i = 0; i < 20_000; i++)
        {
            leaves.Add(RandomLeaf(rnd));
            tree.SetLeaf(i, leaves[i]);
        }

        Assert.Equal(ReferenceRoot(leaves), tree.Root());
        for (int u = 0; u < 12_000; u++)
        {
            int i = rnd.Next(leaves.Count);
            leaves[i] = RandomLeaf(rnd);
            tree.SetLeaf(i, leaves[i]);
        }

        Assert.Equal(ReferenceRoot(leaves), tree.Root());
        Assert.True(MerkleTree.Verify(tree.Root(), leaves[12_345], 12_345, tree.Proof(12_345)));
    }

    [Fact]
    public void Verify_rejects_malformed_proofs()
    {
        var tree = new MerkleTree();
        tree.SetLeaf(0, [1]);
        tree.SetLeaf(1, [2]);
        byte[] root = tree.Root();
        Assert.False(MerkleTree.Verify(root, [1], -1, tree.Proof(0)));
        Assert.False(MerkleTree.Verify(root, [1], 2, tree.Proof(0)));
        Assert.False(MerkleTree.Verify(root[..31], [1], 0, tree.Proof(0)));
        Assert.False(MerkleTree.Verify(root, [1], 0, [new byte[31]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.SetLeaf(5, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Proof(2));
    }

    private static byte[] RandomLeaf(Random rnd)
    {
        byte[] leaf = new byte[rnd.Next(1, 80)];
        rnd.NextBytes(leaf);
        return leaf;
    }

    // Independent, naive rebuild straight from the documented rule.
    private static byte[] ReferenceRoot(List<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return new byte[32];
        }

        int size = 1;
        while (size < leaves.Count)
        {
            size *= 2;
        }

        var level = new List<byte[]>();
        for (int i = 0; i < size; i++)
        {
            level.Add(i < leaves.Count ? Keccak256.Hash([0x00, .. leaves[i]]) : new byte[32]);
        }

        // Inner nodes: 0x01 ‖ left ‖ right, hashed as one buffer.
        byte[] buffer = new byte[65];
        buffer[0] = 0x01;

        while (level.Count > 1)
        {
            var up = new List<byte[]>();
            for (int i = 0; i < level.Count; i += 2)
            {
                level[i].CopyTo(buffer, 1);
                level[i + 1].CopyTo(buffer, 33);
                up.Add(Keccak256.Hash(buffer));
            }

            level = up;
        }

        return level[0];
    }
}
