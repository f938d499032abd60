namespace Solvent.Core.Settlement;

/// <summary>
/// The exit tree: sorted leaves padded with zero leaves to the next power of two, <c>node = keccak256(left ‖ right)</c>;
/// an empty set has root zero. Proofs are siblings bottom-up, index = position.
/// </summary>
public static class ExitTree
{
    /// <summary>Root over leaf hashes already in tree order.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return new byte[32];
        }

        List<byte[]> level = Padded(leaves);
        while (level.Count > 1)
        {
            level = Up(level);
        }

        return level[0];
    }

    /// <summary>Siblings, bottom-up, of leaf <paramref name="index"/>.</summary>
    public static byte[][] Proof(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        List<byte[]> level = Padded(leaves);
        var proof = new List<byte[]>();
        int i = index;
        while (level.Count > 1)
        {
            proof.Add(level[i ^ 1]);
            level = Up(level);
            i >>= 1;
        }

        return [.. proof];
    }

    private static List<byte[]> Padded(IReadOnlyList<byte[]> leaves)
    {
        var level = new List<byte[]>(leaves);
        int size = 1;
        while (size < level.Count)
        {
            size <<= 1;
        }

        while (level.Count < size)
        {
            level.Add(new byte[32]);
        }

        return level;
    }

    private static List<byte[]> Up(List<byte[]> level)
    {
        var next = new List<byte[]>(level.Count / 2);
        for (int k = 0; k < level.Count; k += 2)
        {
            next.Add(Keccak.Node(level[k], level[k + 1]));
        }

        return next;
    }
}
