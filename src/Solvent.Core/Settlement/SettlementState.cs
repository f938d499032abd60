using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Core.Settlement;

/// <summary>
/// The settlement part of consensus state: per vault chain the next deposit id to credit, the forced
/// requests processed and the custody of each token (bridged in − withdrawals recorded); the withdrawal
/// tree's frontier and every record (so any node can prove any record). Written into the state root.
/// </summary>
public sealed class SettlementState
{
    private readonly List<WithdrawalRecord> _records = [];
    private readonly List<byte[]> _leaves = [];

    /// <summary>Empty state for <paramref name="config"/>.</summary>
    public SettlementState(SettlementConfig config)
    {
        Config = config;
        NextDeposit = new ulong[config.Chains.Count];
        ForcedProcessed = new ulong[config.Chains.Count];
        Custody = new long[config.Chains.Count][];
        for (int c = 0; c < Custody.Length; c++)
        {
            Custody[c] = new long[config.Chains[c].Tokens.Count];
        }
    }

    /// <summary>The genesis section.</summary>
    public SettlementConfig Config { get; }

    /// <summary>Per chain (config order): the deposit id the next credit must carry (= deposits credited).</summary>
    public ulong[] NextDeposit { get; }

    /// <summary>Per chain: forced-withdrawal requests processed (the next request id).</summary>
    public ulong[] ForcedProcessed { get; }

    /// <summary>Per chain, per token (config order): tokens the vault holds for the venue's books.</summary>
    public long[][] Custody { get; }

    /// <summary>The withdrawal tree's frontier.</summary>
    public WithdrawalTree Tree { get; } = new();

    /// <summary>Every withdrawal record, by id.</summary>
    public IReadOnlyList<WithdrawalRecord> Records => _records;

    /// <summary>Leaf hashes of <see cref="Records"/>, by id.</summary>
    public IReadOnlyList<byte[]> Leaves => _leaves;

    /// <summary>Custody of <paramref name="asset"/> on chain index <paramref name="chain"/> (0 when the vault does not hold it).</summary>
    public long CustodyOf(int chain, int asset)
    {
        int t = Config.Chains[chain].IndexOfAsset(asset);
        return t < 0 ? 0 : Custody[chain][t];
    }

    /// <summary>keccak256(abi.encode(uint256[] chainIds, uint64[] processedCounts)) over every chain, ascending.</summary>
    public byte[] ForcedRoot()
    {
        var ids = new long[Config.Chains.Count];
        for (int c = 0; c < ids.Length; c++)
        {
            ids[c] = Config.Chains[c].ChainId;
        }

        return ForcedRootOf(ids, ForcedProcessed);
    }

    /// <summary>keccak256(abi.encode(uint256[] chainIds, uint64[] processedCounts)).</summary>
    public static byte[] ForcedRootOf(IReadOnlyList<long> chainIds, IReadOnlyList<ulong> counts)
    {
        int n = chainIds.Count;
        if (counts.Count != n)
        {
            throw new ArgumentException("one processed count per chain", nameof(counts));
        }

        // Two dynamic arrays: two head offsets, then each array's length and elements.
        byte[] b = new byte[32 * (2 + 1 + n + 1 + n)];
        AbiWords.Uint(b, 64UL);
        AbiWords.Uint(b.AsSpan(32), (ulong)(64 + (32 * (1 + n))));
        int pos = 64;
        AbiWords.Uint(b.AsSpan(pos), (ulong)n);
        pos += 32;
        for (int c = 0; c < n; c++, pos += 32)
        {
            AbiWords.Uint(b.AsSpan(pos), (ulong)chainIds[c]);
        }

        AbiWords.Uint(b.AsSpan(pos), (ulong)n);
        pos += 32;
        for (int c = 0; c < n; c++, pos += 32)
        {
            AbiWords.Uint(b.AsSpan(pos), counts[c]);
        }

        return Keccak.Hash(b);
    }

    /// <summary>Appends a record (id = current count); false when the tree is full.</summary>
    internal bool TryAppend(WithdrawalRecord record, out byte[] leaf)
    {
        leaf = record.Leaf();
        if (!Tree.TryAppend(leaf))
        {
            return false;
        }

        _records.Add(record);
        _leaves.Add(leaf);
        return true;
    }

    /// <summary>Undoes the last append (a rejected action that had appended).</summary>
    internal void RemoveLast()
    {
        _records.RemoveAt(_records.Count - 1);
        _leaves.RemoveAt(_leaves.Count - 1);
        RebuildTree();
    }

    internal void WriteCanonical(CanonicalWriter w)
    {
        w.WriteI64(Config.Chains.Count);
        for (int c = 0; c < Config.Chains.Count; c++)
        {
            w.WriteI64(Config.Chains[c].ChainId);
            w.WriteI64(unchecked((long)NextDeposit[c]));
            w.WriteI64(unchecked((long)ForcedProcessed[c]));
            foreach (long k in Custody[c])
            {
                w.WriteI64(k);
            }
        }

        w.WriteI64(unchecked((long)Tree.Count));
        for (int h = 0; h < WithdrawalTree.Depth; h++)
        {
            WriteHash(w, Tree.Branch(h));
        }

        foreach (WithdrawalRecord r in _records)
        {
            w.WriteAddress(r.Recipient);
            w.WriteI64(r.ChainId);
            w.WriteAddress(r.Token);
            w.WriteI64(r.Amount);
        }
    }

    internal void ReadCanonical(ref CanonicalReader r)
    {
        if (r.ReadCount(Config.Chains.Count, "settlement chain") != Config.Chains.Count)
        {
            throw new InvalidSnapshotException("the snapshot lists a different number of vault chains than the genesis");
        }

        for (int c = 0; c < Config.Chains.Count; c++)
        {
            if (r.ReadI64() != Config.Chains[c].ChainId)
            {
                throw new InvalidSnapshotException($"vault chain {c} differs from the genesis' {Config.Chains[c].ChainId}");
            }

            NextDeposit[c] = unchecked((ulong)r.ReadI64());
            ForcedProcessed[c] = unchecked((ulong)r.ReadI64());
            for (int t = 0; t < Custody[c].Length; t++)
            {
                Custody[c][t] = r.ReadI64();
            }
        }

        ulong count = unchecked((ulong)r.ReadI64());
        var branch = new byte[WithdrawalTree.Depth][];
        for (int h = 0; h < WithdrawalTree.Depth; h++)
        {
            branch[h] = ReadHash(ref r);
        }

        // Each record takes 56 bytes, which bounds the count before anything is allocated.
        if (count > (ulong)(r.Remaining / 56))
        {
            throw new InvalidSnapshotException($"{count} withdrawal records do not fit in the snapshot");
        }

        _records.Clear();
        _leaves.Clear();
        for (ulong id = 0; id < count; id++)
        {
            var rec = new WithdrawalRecord(id, r.ReadAddress(), r.ReadI64(), r.ReadAddress(), r.ReadI64());
            _records.Add(rec);
            _leaves.Add(rec.Leaf());
        }

        Tree.Restore(count, branch);
        var check = new WithdrawalTree();
        foreach (byte[] leaf in _leaves)
        {
            check.TryAppend(leaf);
        }

        if (!check.Root().AsSpan().SequenceEqual(Tree.Root()))
        {
            throw new InvalidSnapshotException("the withdrawal frontier does not match the withdrawal records");
        }
    }

    private void RebuildTree()
    {
        var t = new WithdrawalTree();
        foreach (byte[] leaf in _leaves)
        {
            t.TryAppend(leaf);
        }

        var branch = new byte[WithdrawalTree.Depth][];
        for (int h = 0; h < WithdrawalTree.Depth; h++)
        {
            branch[h] = t.Branch(h).ToArray();
        }

        Tree.Restore(t.Count, branch);
    }

    private static void WriteHash(CanonicalWriter w, ReadOnlySpan<byte> h)
    {
        w.WriteU128(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(h));
        w.WriteU128(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(h[16..]));
    }

    private static byte[] ReadHash(ref CanonicalReader r)
    {
        byte[] h = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(h, r.ReadU128());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(h.AsSpan(16), r.ReadU128());
        return h;
    }
}
