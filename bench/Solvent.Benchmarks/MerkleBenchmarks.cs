using BenchmarkDotNet.Attributes;
using Solvent.Crypto;

namespace Solvent.Benchmarks;

/// <summary>State commitment cost: rehash 1,000 or 100,000 dirty leaves of a 1,000,000-leaf tree, build one from scratch, one proof.</summary>
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private const int Leaves = 1_000_000;
    private readonly MerkleTree _tree = new();
    private readonly byte[] _leaf = new byte[120];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Leaves; i++)
        {
            _leaf[0] = (byte)i;
            _tree.SetLeaf(i, _leaf);
        }

        _tree.Root();
    }

    /// <summary>1,000 leaves rewritten (120 canonical bytes each, a typical account) then the new root.</summary>
    [Benchmark]
    public byte[] Update1000LeavesAndRoot()
    {
        for (int i = 0; i < 1000; i++)
        {
            _next = (_next + 7919) % Leaves;
            _leaf[1]++;
            _tree.SetLeaf(_next, _leaf);
        }

        return _tree.Root();
    }

    /// <summary>100,000 leaves rewritten (a violent block) then the new root; the lower levels hash in parallel.</summary>
    [Benchmark]
    public byte[] Update100kLeavesAndRoot()
    {
        for (int i = 0; i < 100_000; i++)
        {
            _next = (_next + 7919) % Leaves;
            _leaf[1]++;
            _tree.SetLeaf(_next, _leaf);
        }

        return _tree.Root();
    }

    /// <summary>Building the whole 1,000,000-leaf tree from scratch (node start-up without a snapshot).</summary>
    [Benchmark]
    public byte[] Build1MLeaves()
    {
        var tree = new MerkleTree();
        for (int i = 0; i < Leaves; i++)
        {
            tree.SetLeaf(i, _leaf);
        }

        return tree.Root();
    }

    /// <summary>A 20-sibling proof.</summary>
    [Benchmark]
    public byte[][] Proof() => _tree.Proof(123_456);
}
