using System.Net;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Hosting;
using Solvent.Node.Ingress;
using Solvent.Node.Recovery;
using Solvent.Storage;

namespace Solvent.Node.Tests;

public class RecoveryTests
{
    private static async Task<(string Dir, long Height, string Root)> BuildChainAsync(int actions)
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-recovery-" + Guid.NewGuid().ToString("N"));
        await using TestNode n = await TestNode.StartAsync(dir);
        ActionSigner a = n.Signer("alice"), b = n.Signer("bob");
        for (int i = 0; i < actions; i++)
        {
            // One at a time: each action its own block, so snapshots (every 3 blocks) and a tail both exist.
            ActionSigner s = i % 2 == 0 ? a : b;
            HttpResponseMessage r = await n.SubmitAsync(s, n.Deposit(s, i % 3 == 0 ? "ETH" : "USDC", 1_000 + i), (ulong)(i / 2));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        var h = await n.GetJsonAsync("/v1/health");
        return (dir, h.GetProperty("height").GetInt64(), h.GetProperty("stateRoot").GetString()!);
    }

    private static Genesis GenesisOf(string dir) => GenesisLoader.Parse(File.ReadAllText(Path.Combine(dir, ChainLoader.GenesisFileName)));

    [Fact]
    public async Task A_restart_recovers_height_root_nonces_and_continues()
    {
        (string dir, long height, string root) = await BuildChainAsync(8);
        try
        {
            await using TestNode n = await TestNode.StartAsync(dir);
            Assert.Equal(root, await n.StateRootAsync());
            Assert.Equal(height, (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64());
            ActionSigner a = n.Signer("alice");
            Assert.Equal("4", (await n.GetJsonAsync($"/v1/accounts/{a.Address}")).GetProperty("nextNonce").GetString());
            Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(a, n.Deposit(a, "USDC", 1), 4)).StatusCode);
            // The block's snapshot is written after its answer goes out, and the oldest is pruned just after the
            // new one lands, so wait for both before counting.
            var store = new SnapshotStore(dir);
            string[] files = store.List();
            for (var sw = System.Diagnostics.Stopwatch.StartNew(); sw.Elapsed < TimeSpan.FromSeconds(10) && (files.Length != 2 || string.CompareOrdinal(Path.GetFileName(files[^1]), $"snapshot-{height + 1:D12}.snap") < 0); files = store.List())
            {
                await Task.Delay(20);
            }

            Assert.Equal(2, files.Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Snapshot_plus_tail_equals_a_full_replay_from_genesis()
    {
        (string dir, long height, string root) = await BuildChainAsync(8);
        string? bare = null;
        try
        {
            Genesis g = GenesisOf(dir);
            Snapshot snap = new SnapshotStore(dir).LoadLatest()!;
            Assert.True(snap.Height < height, "the chain must have a tail after the newest snapshot");

            // Full replay with the snapshots removed gives the same root as a start that checks them.
            bare = dir + "-bare";
            Directory.CreateDirectory(bare);
            File.Copy(Path.Combine(dir, BlockLog.FileName), Path.Combine(bare, BlockLog.FileName));
            using (ChainState full = ChainLoader.Load(g, bare, CryptoActionDecoder.For(g), _ => { }, out ChainLoader.LoadSummary s1))
            using (ChainState withSnap = ChainLoader.Load(g, dir, CryptoActionDecoder.For(g), _ => { }, out ChainLoader.LoadSummary s2, readOnly: true))
            {
                Assert.Equal(root, Api.Hex.Of(s1.Root));
                Assert.Equal(s1.Root, s2.Root);
                Assert.Equal(snap.Height, s2.SnapshotHeight);
                Assert.Equal(0, s1.SnapshotHeight);

                // The second start restored the engine from the snapshot and replayed only the tail.
                Assert.Equal(snap.Height, s2.RestoredFrom);
                Assert.Equal(0, s1.RestoredFrom);
                Assert.Equal(height - snap.Height, s2.Actions);
                Assert.Equal(height, s1.Actions);
                Assert.Equal(full.Sequence, withSnap.Sequence);
                Assert.Equal(full.Accounts.Root(), withSnap.Accounts.Root());
                foreach (string seed in new[] { "alice", "bob" })
                {
                    Address a = ActionSigner.FromSeed(seed, Eip712Domain.FromGenesis(g)).Address;
                    Assert.Equal(full.Nonces.NextOf(a), withSnap.Nonces.NextOf(a));
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
            if (bare is not null)
            {
                Directory.Delete(bare, true);
            }
        }
    }

    [Fact]
    public async Task Damage_mid_log_behind_a_snapshot_refuses_the_start_and_keeps_every_byte()
    {
        // The blocks after the damage (and the snapshot above it) stay on disk: the start refuses before cutting anything.
        (string dir, long height, _) = await BuildChainAsync(8);
        try
        {
            string path = Path.Combine(dir, BlockLog.FileName);
            byte[] bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 3] ^= 0x10;
            File.WriteAllBytes(path, bytes);
            string[] snapshots = new SnapshotStore(dir).List();
            Genesis g = GenesisOf(dir);
            foreach (bool readOnly in new[] { false, true })
            {
                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => ChainLoader.Load(g, dir, CryptoActionDecoder.For(g), _ => { }, out _, readOnly: readOnly));
                Assert.True(e.IntactBlocks < height);
                Assert.Equal(bytes, File.ReadAllBytes(path));
                Assert.Equal(snapshots, new SnapshotStore(dir).List());
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Damage_at_random_offsets_refuses_the_start_and_replay_and_changes_nothing()
    {
        (string dir, _, _) = await BuildChainAsync(6);
        try
        {
            string path = Path.Combine(dir, BlockLog.FileName);
            byte[] good = File.ReadAllBytes(path);
            long[] starts = RecordStarts(good);
            string[] snapshots = new SnapshotStore(dir).List();
            Genesis g = GenesisOf(dir);
            var rng = new Random(16);
            for (int round = 0; round < 5; round++)
            {
                int at = rng.Next(good.Length);
                byte[] bad = (byte[])good.Clone();
                bad[at] ^= (byte)rng.Next(1, 256);
                File.WriteAllBytes(path, bad);
                byte[] hash = System.Security.Cryptography.SHA256.HashData(bad);
                long record = starts[Array.FindLastIndex(starts, st => st <= at)];

                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => ChainLoader.Load(g, dir, CryptoActionDecoder.For(g), _ => { }, out _));
                Assert.Equal(record, e.Offset);
                Assert.Contains($"damage at byte {record}", e.Message, StringComparison.Ordinal);
                (int exit, string output) = await NodeProcess.RunAsync("replay", dir);
                Assert.True(exit != 0, $"replay exited 0 with byte {at} damaged: {output}");
                Assert.Contains($"byte {record}", output, StringComparison.Ordinal);
                Assert.Equal(hash, System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
                Assert.Equal(snapshots, new SnapshotStore(dir).List());
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task An_incomplete_record_at_or_below_the_snapshot_refuses_the_start_and_keeps_every_byte()
    {
        // The snapshot was written after its block was fsynced, so that block cannot be a torn append:
        // cutting it would drop acknowledged actions. The start must refuse before truncating anything.
        (string dir, _, _) = await BuildChainAsync(8);
        try
        {
            string path = Path.Combine(dir, BlockLog.FileName);
            long snapHeight = new SnapshotStore(dir).LoadLatest()!.Height;
            long[] starts = RecordStarts(File.ReadAllBytes(path));
            using (var f = new FileStream(path, FileMode.Open))
            {
                f.SetLength(starts[snapHeight - 1] + 20);
            }

            byte[] torn = File.ReadAllBytes(path);
            string[] snapshots = new SnapshotStore(dir).List();
            Genesis g = GenesisOf(dir);
            foreach (bool readOnly in new[] { false, true })
            {
                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => ChainLoader.Load(g, dir, CryptoActionDecoder.For(g), _ => { }, out _, readOnly: readOnly));
                Assert.Equal(starts[snapHeight - 1], e.Offset);
                Assert.Equal(snapHeight - 1, e.IntactBlocks);
                Assert.Equal(torn, File.ReadAllBytes(path));
                Assert.Equal(snapshots, new SnapshotStore(dir).List());
            }

            (int exit, _) = await NodeProcess.RunAsync("replay", dir);
            Assert.NotEqual(0, exit);
            Assert.Equal(torn, File.ReadAllBytes(path));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static long[] RecordStarts(byte[] log)
    {
        var starts = new List<long>();
        for (long at = 0; at < log.Length;)
        {
            starts.Add(at);
            at += System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan((int)at)) + RecordFraming.Overhead;
        }

        return [.. starts];
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_written_never_changes_the_answer_for_a_durable_block()
    {
        // A directory where each snapshot's temporary file would go makes every snapshot write fail after
        // its block is fsynced, as a full disk does; those blocks' actions are still acknowledged.
        string dir = Path.Combine(Path.GetTempPath(), "solvent-snapfail-" + Guid.NewGuid().ToString("N"));
        try
        {
            for (int h = 1; h <= 40; h++)
            {
                Directory.CreateDirectory(Path.Combine(dir, $"snapshot-{h:D12}.snap.tmp"));
            }

            File.WriteAllBytes(Path.Combine(dir, "snapshot-000000000099.snap.tmp"), [1, 2, 3]);
            long height;
            await using (TestNode n = await TestNode.StartAsync(dir))
            {
                Assert.False(File.Exists(Path.Combine(dir, "snapshot-000000000099.snap.tmp")), "a leftover temporary snapshot is removed at start");
                ActionSigner a = n.Signer("alice");
                for (int i = 0; i < 8; i++)
                {
                    HttpResponseMessage r = await n.SubmitAsync(a, n.Deposit(a, "USDC", 1_000 + i), (ulong)i);
                    Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                }

                Assert.Empty(new SnapshotStore(dir).List());
                Assert.Equal("ok", (await n.GetJsonAsync("/v1/health")).GetProperty("status").GetString());
                height = (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64();
            }

            await using (TestNode n = await TestNode.StartAsync(dir))
            {
                Assert.Equal(height, (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64());
                Assert.Equal("8", (await n.GetJsonAsync($"/v1/accounts/{n.Signer("alice").Address}")).GetProperty("nextNonce").GetString());
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_snapshot_whose_root_disagrees_refuses_the_start()
    {
        (string dir, _, _) = await BuildChainAsync(7);
        try
        {
            var store = new SnapshotStore(dir);
            Snapshot s = store.LoadLatest()!;
            byte[] wrong = (byte[])s.StateRoot.Clone();
            wrong[0] ^= 1;
            store.Write(s with { StateRoot = wrong });
            Genesis g = GenesisOf(dir);
            RecoveryException e = Assert.Throws<RecoveryException>(() => ChainLoader.Load(g, dir, CryptoActionDecoder.For(g), _ => { }, out _));
            Assert.Contains("refusing to start", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_logged_root_that_replay_does_not_reproduce_refuses_the_start()
    {
        (string dir, _, _) = await BuildChainAsync(3);
        try
        {
            // Rewrite the log with block 2's state root altered but a valid checksum: no crash can do this.
            List<StoredBlock> blocks;
            using (BlockLog log = BlockLog.Open(dir))
            {
                blocks = [.. log.ReadAll()];
            }

            File.Delete(Path.Combine(dir, BlockLog.FileName));
            foreach (string f in new SnapshotStore(dir).List())
            {
                File.Delete(f);
            }

            using (BlockLog log = BlockLog.Open(dir))
            {
                foreach (StoredBlock b in blocks)
                {
                    byte[] root = (byte[])b.StateRoot.Clone();
                    if (b.Height == 2)
                    {
                        root[5] ^= 0x40;
                    }

                    log.Append(b with { StateRoot = root });
                }
            }

            Genesis g = GenesisOf(dir);
            RecoveryException e = Assert.Throws<RecoveryException>(() => ChainLoader.Load(g, dir, CryptoActionDecoder.For(g), _ => { }, out _));
            Assert.Contains("block 2", e.Message);
            Assert.Contains("differs from the logged root", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_torn_last_block_is_dropped_and_the_chain_continues_from_the_one_before()
    {
        (string dir, long height, _) = await BuildChainAsync(4);
        try
        {
            string path = Path.Combine(dir, BlockLog.FileName);
            using (var f = new FileStream(path, FileMode.Open))
            {
                f.SetLength(f.Length - 5);
            }

            foreach (string s in new SnapshotStore(dir).List())
            {
                File.Delete(s);
            }

            await using TestNode n = await TestNode.StartAsync(dir);
            Assert.Equal(height - 1, (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64());
            ActionSigner b = n.Signer("bob");
            Assert.Equal("1", (await n.GetJsonAsync($"/v1/accounts/{b.Address}")).GetProperty("nextNonce").GetString());
            Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(b, n.Deposit(b, "USDC", 1), 1)).StatusCode);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_different_genesis_for_an_existing_data_directory_is_refused()
    {
        (string dir, _, _) = await BuildChainAsync(1);
        try
        {
            var o = new Dictionary<string, string?> { ["Solvent:DataDir"] = dir, ["Solvent:Dev"] = "true" };
            Assert.Throws<RecoveryException>(() => NodeHost.Build(o));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
