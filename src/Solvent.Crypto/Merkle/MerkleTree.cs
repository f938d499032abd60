namespace Solvent.Crypto;

/// <summary>
/// A binary Keccak-256 Merkle tree over a dense, growable array of leaves (one per account id).
/// <list type="bullet">
/// <item>leaf hash = keccak256(0x00 ‖ leaf bytes); inner node = keccak256(0x01 ‖ left ‖ right) — the
/// prefixes keep a leaf from ever being passed off as an inner node (second-preimage safety);</item>
/// <item>padding: with n leaves the tree has depth d = ⌈log2 n⌉ (d = 0 for n ≤ 1) and 2^d slots; slots
/// n…2^d − 1 hold 32 zero bytes (no keccak output is ever all-zero in practice) and are hashed like any leaf
/// hash; the root of an empty tree is 32 zero bytes;</item>
/// <item>updates are incremental: <c>SetLeaf</c> marks a slot dirty and <c>Root</c> rehashes only
/// dirty slots' ancestors, O(k log n) for k changed leaves.</item>
/// </list>
/// Not thread-safe: one writer (the node's commit thread) owns it.
/// </summary>
public sealed class MerkleTree
{
    private static readonly byte[] LeafPrefix = [0x00];
    private static readonly byte[] NodePrefix = [0x01];

    // Below this many parents on a level, threads cost more than they save.
    private const int ParallelThreshold = 4096;

    private static readonly byte[] ZeroHashes = BuildZeroHashes();

    // _levels[0] holds the leaf hashes (capacity slots), _levels[k] the 2^-k as many parents; the last level has one node.
    private byte[][] _levels = [new byte[32]];
    private int[] _dirty = new int[16];
    private int _dirtyCount;
    private bool[] _isDirty = new bool[1];

    /// <summary>Number of leaves.</summary>
    public int Count { get; private set; }

    /// <summary>Depth of the tree for the current count (⌈log2 Count⌉; the proof length).</summary>
    public int Depth => DepthFor(Count);

    /// <summary>Tree depth for <paramref name="count"/> leaves.</summary>
    public static int DepthFor(int count) => count <= 1 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(count - 1));

    /// <summary>keccak256(0x00 ‖ <paramref name="leafBytes"/>).</summary>
    public static void HashLeaf(ReadOnlySpan<byte> leafBytes, Span<byte> output) => Keccak256.Hash(LeafPrefix, leafBytes, output);

    /// <summary>keccak256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>).</summary>
    public static void HashNode(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> output) => Keccak256.Hash(NodePrefix, left, right, output);

    /// <summary>Sets leaf <paramref name="index"/> to the hash of <paramref name="leafBytes"/>; index = Count appends.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index beyond Count.</exception>
    public void SetLeaf(int index, ReadOnlySpan<byte> leafBytes)
    {
        Span<byte> hash = stackalloc byte[32];
        HashLeaf(leafBytes, hash);
        SetLeafHash(index, hash);
    }

    /// <summary>Sets leaf <paramref name="index"/> to an already computed leaf hash; index = Count appends.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Index beyond Count, or a hash that is not 32 bytes.</exception>
    public void SetLeafHash(int index, ReadOnlySpan<byte> leafHash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(leafHash.Length, 32);
        if (index == Count)
        {
            EnsureCapacity(Count + 1);
            Count++;
        }

        leafHash.CopyTo(_levels[0].AsSpan(index * 32, 32));
        if (!_isDirty[index])
        {
            _isDirty[index] = true;
            if (_dirtyCount == _dirty.Length)
            {
                Array.Resize(ref _dirty, _dirty.Length * 2);
            }

            _dirty[_dirtyCount++] = index;
        }
    }

    /// <summary>The current root (rehashes what changed since the last call).</summary>
    public byte[] Root()
    {
        byte[] root = new byte[32];
        Root(root);
        return root;
    }

    /// <summary>Writes the current root into <paramref name="output"/> (rehashes what changed since the last call).</summary>
    public void Root(Span<byte> output)
    {
        Flush();
        if (Count == 0)
        {
            output[..32].Clear();
            return;
        }

        _levels[Depth].AsSpan(0, 32).CopyTo(output);
    }

    /// <summary>The sibling hashes from leaf <paramref name="index"/> up to (not including) the root, leaf level first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such leaf.</exception>
    public byte[][] Proof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        Flush();
        int depth = Depth;
        byte[][] path = new byte[depth][];
        for (int level = 0; level < depth; level++)
        {
            int sibling = (index >> level) ^ 1;
            path[level] = _levels[level].AsSpan(sibling * 32, 32).ToArray();
        }

        return path;
    }

    /// <summary>
    /// Checks that <paramref name="leafBytes"/> is leaf <paramref name="index"/> under <paramref name="root"/>,
    /// given the sibling path (leaf level first). Needs nothing but keccak256.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> root, ReadOnlySpan<byte> leafBytes, long index, IReadOnlyList<byte[]> path)
    {
        if (root.Length != 32 || index < 0 || path.Count > 62 || (index >> path.Count) != 0)
        {
            return false;
        }

        Span<byte> h = stackalloc byte[32];
        HashLeaf(leafBytes, h);
        for (int level = 0; level < path.Count; level++)
        {
            byte[] sibling = path[level];
            if (sibling is null || sibling.Length != 32)
            {
                return false;
            }

            if (((index >> level) & 1) == 0)
            {
                HashNode(h, sibling, h);
            }
            else
            {
                HashNode(sibling, h, h);
            }
        }

        return h.SequenceEqual(root);
    }

    private void Flush()
    {
        if (_dirtyCount == 0)
        {
            return;
        }

        // Walk up level by level: sort the dirty indices, map them to distinct parents, rehash each parent once.
        int count = _dirtyCount;
        int[] current = _dirty;
        for (int i = 0; i < count; i++)
        {
            _isDirty[current[i]] = false;
        }

        for (int level = 0; level + 1 < _levels.Length; level++)
        {
            Array.Sort(current, 0, count);
            int next = 0;
            int lastParent = -1;
            for (int i = 0; i < count; i++)
            {
                int parent = current[i] >> 1;
                if (parent != lastParent)
                {
                    lastParent = parent;
                    current[next++] = parent;
                }
            }

            count = next;
            HashParents(_levels[level], _levels[level + 1], current, count);
        }

        _dirtyCount = 0;
    }

    // Each parent slot is written by exactly one iteration and its children are final, so the parallel
    // form produces the same bytes as the sequential one; small sets stay on the calling thread.
    private static void HashParents(byte[] children, byte[] parents, int[] indices, int count)
    {
        if (count < ParallelThreshold)
        {
            for (int i = 0; i < count; i++)
            {
                HashParent(children, parents, indices[i]);
            }

            return;
        }

        Parallel.For(0, count, i => HashParent(children, parents, indices[i]));
    }

    private static void HashParent(byte[] children, byte[] parents, int p) =>
        HashNode(children.AsSpan(p * 64, 32), children.AsSpan((p * 64) + 32, 32), parents.AsSpan(p * 32, 32));

    private void EnsureCapacity(int count)
    {
        int capacity = _levels[0].Length / 32;
        if (count <= capacity)
        {
            return;
        }

        int oldDepth = _levels.Length - 1;
        int newCapacity = Math.Max(capacity * 2, 1 << DepthFor(count));
        int newDepth = DepthFor(newCapacity);
        var levels = new byte[newDepth + 1][];

        // Node p of level k covers leaves [p·2^k, (p+1)·2^k) whatever the capacity, so the old tree is the new
        // tree's left part unchanged; everything to its right covers only zero slots and is the zero-subtree
        // hash of its level. Only the few nodes above the old root need hashing.
        for (int level = 0; level <= newDepth; level++)
        {
            levels[level] = new byte[(newCapacity >> level) * 32];
            if (level <= oldDepth)
            {
                _levels[level].CopyTo(levels[level], 0);
                for (int p = _levels[level].Length / 32; p < levels[level].Length / 32; p++)
                {
                    ZeroSubtree(level).CopyTo(levels[level].AsSpan(p * 32, 32));
                }
            }
            else
            {
                for (int p = 0; p < levels[level].Length / 32; p++)
                {
                    HashParent(levels[level - 1], levels[level], p);
                }
            }
        }

        _levels = levels;
        Array.Resize(ref _isDirty, newCapacity);
    }

    // Hash of a subtree of 2^level zero slots: Z0 = 32 zero bytes, Z(k+1) = H(0x01 ‖ Zk ‖ Zk).
    private static ReadOnlySpan<byte> ZeroSubtree(int level) => ZeroHashes.AsSpan(level * 32, 32);

    private static byte[] BuildZeroHashes()
    {
        byte[] z = new byte[32 * 32];
        for (int k = 1; k < 32; k++)
        {
            HashNode(z.AsSpan((k - 1) * 32, 32), z.AsSpan((k - 1) * 32, 32), z.AsSpan(k * 32, 32));
        }

        return z;
    }
}
