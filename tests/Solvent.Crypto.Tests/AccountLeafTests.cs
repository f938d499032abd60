using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Crypto.Tests;

public class AccountLeafTests
{
    [Fact]
    public void Account_bytes_are_exactly_the_accounts_records_of_the_full_state_encoding()
    {
        var engine = new Engine(GenesisLoader.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"))));
        for (uint i = 1; i <= 4; i++)
        {
            var owner = new Address(0, i, 7);
            Assert.True(engine.Apply(new Deposit(owner, new AccountKey(owner, i), (int)(i % 2), 1_000_000 * i)).Ok);
        }

        var full = new ListSink();
        var w = new CanonicalWriter(full);
        engine.WriteCanonical(w);
        w.Flush();

        // The full encoding ends with the account count then each account's record, in id order.
        var tail = new List<byte>();
        byte[] count = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(count, engine.Accounts.Count);
        tail.AddRange(count);
        for (int id = 0; id < engine.Accounts.Count; id++)
        {
            tail.AddRange(engine.AccountCanonicalBytes(id));
        }

        Assert.True(full.Bytes.Count > tail.Count);
        Assert.Equal(tail, full.Bytes.Skip(full.Bytes.Count - tail.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.AccountCanonicalBytes(engine.Accounts.Count));
    }

    [Fact]
    public void Account_tree_follows_the_engine_incrementally()
    {
        var engine = new Engine(GenesisLoader.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"))));
        var tree = new AccountTree();
        var dirty = new List<int>();
        var rnd = new Random(5);
        for (int step = 0; step < 30; step++)
        {
            var owner = new Address(0, 0, (uint)rnd.Next(1, 12));
            engine.Apply(new Deposit(owner, new AccountKey(owner, (uint)rnd.Next(0, 2)), rnd.Next(0, 2), rnd.Next(1, 1_000_000)));
            dirty.Clear();
            engine.DrainDirty(dirty);
            tree.Update(engine, dirty);

            // Reference: a fresh tree over every account's bytes.
            var fresh = new MerkleTree();
            for (int id = 0; id < engine.Accounts.Count; id++)
            {
                fresh.SetLeaf(id, engine.AccountCanonicalBytes(id));
            }

            Assert.Equal(engine.Accounts.Count, tree.Count);
            Assert.Equal(fresh.Root(), tree.Root());
        }

        StateProof proof = tree.Prove(engine, engine.Accounts.Count - 1);
        Assert.True(proof.Verify(tree.Root()));
        Assert.Equal(proof.Leaf, engine.AccountCanonicalBytes(engine.Accounts.Count - 1));
        Assert.Equal(proof.Index, (int)proof.ToJson()["index"]!);
    }

    private sealed class ListSink : IByteSink
    {
        public List<byte> Bytes { get; } = [];

        public void Append(ReadOnlySpan<byte> bytes) => Bytes.AddRange(bytes);
    }
}
