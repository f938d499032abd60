namespace Solvent.Core.Settlement;

/// <summary>
/// The append-only keccak Merkle tree of depth 32 over withdrawal records (the eth2 deposit-contract
/// shape): only the frontier — one node per level — and the leaf count are kept, which is what
/// consensus state carries. Empty leaves are zero; <c>zero[i+1] = keccak256(zero[i] ‖ zero[i])</c>.
/// </summary>
public sealed class WithdrawalTree
{
    /// <summary>Levels below the root.</summary>
    public const int Depth = 32;

    /// <summary>Leaves the tree can hold (2^32 − 1: the count must stay below 2^32).</summary>
    public const ulong Capacity = (1UL << Depth) - 1;

    private static readonly byte[][] ZeroHashes = BuildZeros();

    private readonly byte[][] _branch = new byte[Depth][];

    /// <summary>An empty tree.</summary>
    public WithdrawalTree()
    {
        for (int i = 0; i < Depth; i++)
        {
            _branch[i] = new byte[32];
        }
    }

    /// <summary>Leaves appended so far (the next record's id).</summary>
    public ulong Count { get; private set; }

    /// <summary>The empty-subtree hash at each level (level 0 = an empty leaf).</summary>
    public static ReadOnlySpan<byte> Zero(int level) => ZeroHashes[level];

    /// <summary>Frontier node at <paramref name="level"/> (for the canonical encoding).</summary>
    public ReadOnlySpan<byte> Branch(int level) => _branch[level];

    /// <summary>Appends a leaf; false when the tree is full.</summary>
    public bool TryAppend(ReadOnlySpan<byte> leaf)
    {
        if (Count >= Capacity)
        {
            return false;
        }

        byte[] node = leaf.ToArray();
        ulong size = Count + 1;
        for (int h = 0; h < Depth; h++)
        {
            if ((size & 1) == 1)
            {
                _branch[h] = node;
                break;
            }

            node = Keccak.Node(_branch[h], node);
            size >>= 1;
        }

        Count++;
        return true;
    }

    /// <summary>The depth-32 root.</summary>
    public byte[] Root()
    {
        byte[] node = new byte[32];
        ulong size = Count;
        for (int h = 0; h < Depth; h++)
        {
            node = (size & 1) == 1 ? Keccak.Node(_branch[h], node) : Keccak.Node(node, ZeroHashes[h]);
            size >>= 1;
        }

        return node;
    }

    /// <summary>Restores a frontier read from a snapshot.</summary>
    internal void Restore(ulong count, byte[][] branch)
    {
        Count = count;
        for (int i = 0; i < Depth; i++)
        {
            _branch[i] = branch[i];
        }
    }

    /// <summary>
    /// The 32 siblings, bottom-up, of leaf <paramref name="index"/> among <paramref name="leaves"/> (the whole
    /// tree's leaves in order), for the vault's <c>claim</c>. O(leaves).
    /// </summary>
    public static byte[][] Proof(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var proof = new byte[Depth][];
        var level = new List<byte[]>(leaves);
        int i = index;
        for (int h = 0; h < Depth; h++)
        {
            int sibling = i ^ 1;
            proof[h] = sibling < level.Count ? level[sibling] : ZeroHashes[h];
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (int k = 0; k < level.Count; k += 2)
            {
                next.Add(Keccak.Node(level[k], k + 1 < level.Count ? level[k + 1] : ZeroHashes[h]));
            }

            level = next;
            i >>= 1;
        }

        return proof;
    }

    /// <summary>Folds a leaf and its bottom-up siblings to the root they imply.</summary>
    public static byte[] RootFromProof(ReadOnlySpan<byte> leaf, IReadOnlyList<byte[]> proof, ulong index)
    {
        byte[] node = leaf.ToArray();
        for (int h = 0; h < proof.Count; h++)
        {
            node = ((index >> h) & 1) == 0 ? Keccak.Node(node, proof[h]) : Keccak.Node(proof[h], node);
        }

        return node;
    }

    private static byte[][] BuildZeros()
    {
        var z = new byte[Depth + 1][];
        z[0] = new byte[32];
        for (int i = 1; i <= Depth; i++)
        {
            z[i] = Keccak.Node(z[i - 1], z[i - 1]);
        }

        return z;
    }
}
