using System.Diagnostics;
using Solvent.Node.Replication;
using Solvent.Storage;
using Solvent.Stress.Tests;
using Xunit.Abstractions;

namespace Solvent.Indexer.Tests;

/// <summary>
/// The indexer following a replicated deployment's JetStream block stream live: blocks appended by a leader
/// appear in PostgreSQL as they come, the result equals indexing the node's log, a restart re-executes and
/// writes nothing twice, and a block the chain does not reach is refused after the ones before it.
/// </summary>
public class FollowTests(ITestOutputHelper output)
{
    private const int MaxPayload = 4 << 20;

    private static List<StoredBlock> Blocks(ChainRecorder chain)
    {
        using BlockLog log = BlockLog.Open(chain.Dir, readOnly: true);
        return [.. log.ReadAll()];
    }

    private static async Task<NatsBlockStream> StreamAsync(NatsServer nats, string prefix) =>
        await NatsBlockStream.ConnectAsync(new ReplicationOptions { NatsUrls = nats.Url, Replicas = 1, Prefix = prefix }, TimeSpan.FromSeconds(20), CancellationToken.None);

    // Zero until the follower has migrated the empty database.
    private static long IndexedHeight(PgDatabase db) =>
        db.Scalar<bool>("SELECT to_regclass('indexer_state') IS NOT NULL") ? db.Scalar<long>("SELECT COALESCE((SELECT last_height FROM indexer_state), 0)") : 0;

    private static async Task WaitIndexedAsync(PgDatabase db, long height, TimeSpan within, Task follower)
    {
        var sw = Stopwatch.StartNew();
        while (IndexedHeight(db) < height)
        {
            if (follower.IsCompleted)
            {
                await follower; // surfaces the follower's failure
                Assert.Fail($"the follower stopped at height {IndexedHeight(db)} before reaching {height}");
            }

            Assert.True(sw.Elapsed < within, $"indexed height {IndexedHeight(db)} did not reach {height} within {within.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_follower_indexes_blocks_as_they_are_appended_and_equals_the_index_of_the_log()
    {
        using NatsServer? nats = NatsServer.Start(MaxPayload);
        if (nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        ChainRecorder chain = ChainRecorder.Record(rounds: 8, fillers: 2, checkHeight: 10);
        try
        {
            List<StoredBlock> blocks = Blocks(chain);
            Assert.True(blocks.Count >= 20, $"{blocks.Count} blocks");
            string genesis = File.ReadAllText(Path.Combine(chain.Dir, "genesis.json"));
            using var reference = new PgDatabase();
            ChainIndexer.IndexDirectory(chain.Dir, reference.ConnectionString, batchBlocks: 5);

            await using NatsBlockStream leader = await StreamAsync(nats, "FOLLOW");
            int half = blocks.Count / 2;
            foreach (StoredBlock b in blocks.Take(half))
            {
                await leader.AppendAsync(b, CancellationToken.None);
            }

            using var db = new PgDatabase();
            using var stop = new CancellationTokenSource();
            await using BlockStreamSource source = await BlockStreamSource.ConnectAsync(nats.Url, "FOLLOW_BLOCKS", TimeSpan.FromSeconds(20), CancellationToken.None);
            var indexer = new ChainIndexer(genesis, db.ConnectionString) { BatchBlocks = 256, FlushWhenIdle = true, SnapshotEvery = 5 };
            Task<IndexSummary> follower = Task.Run(() => indexer.Index(source.Follow(stop.Token), null, stop.Token));

            // Catch-up batches, then each appended block committed on its own, as it comes.
            await WaitIndexedAsync(db, half, TimeSpan.FromSeconds(60), follower);
            var latencies = new List<double>();
            foreach (StoredBlock b in blocks.Skip(half))
            {
                await leader.AppendAsync(b, CancellationToken.None);
                var sw = Stopwatch.StartNew();
                await WaitIndexedAsync(db, b.Height, TimeSpan.FromSeconds(30), follower);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }

            await stop.CancelAsync();
            IndexSummary s = await follower.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(blocks.Count, s.Height);
            Assert.Equal(blocks.Count, s.BlocksWritten);
            Assert.Equal(reference.Digest(), db.Digest());

            // A restart restores the stored engine snapshot, reads the stream only after it, and writes nothing it already holds.
            long snap = db.Scalar<long>("SELECT COALESCE((SELECT height FROM indexer_snapshot), 0)");
            Assert.True(snap >= blocks.Count - 5, $"snapshot at {snap} of {blocks.Count}");
            using var stop2 = new CancellationTokenSource();
            long yielded = 0;
            IEnumerable<StoredBlock> Counted(IEnumerable<StoredBlock> src)
            {
                foreach (StoredBlock b in src)
                {
                    Interlocked.Increment(ref yielded);
                    yield return b;
                }
            }

            var again = new ChainIndexer(genesis, db.ConnectionString) { FlushWhenIdle = true };
            Task<IndexSummary> second = Task.Run(() => again.Index(after => Counted(source.Follow(stop2.Token, after)), null, stop2.Token));
            for (var until = DateTime.UtcNow.AddSeconds(60); Interlocked.Read(ref yielded) < blocks.Count - snap; await Task.Delay(20))
            {
                Assert.True(DateTime.UtcNow < until && !second.IsCompleted, $"the restarted follower read {Interlocked.Read(ref yielded)} of {blocks.Count - snap} blocks");
            }

            await Task.Delay(200);
            await stop2.CancelAsync();
            IndexSummary s2 = await second.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(blocks.Count - snap, Interlocked.Read(ref yielded));
            Assert.Equal(snap, s2.RestoredFrom);
            Assert.Equal(blocks.Count, s2.Height);
            Assert.Equal(blocks.Count, s2.ResumedFrom);
            Assert.Equal(0, s2.BlocksWritten);
            Assert.Equal(reference.Digest(), db.Digest());

            latencies.Sort();
            output.WriteLine($"[table] indexer following the block stream: {blocks.Count - half} blocks appended one by one, append-to-committed p50 {latencies[latencies.Count / 2]:F0} ms, max {latencies[^1]:F0} ms; tables equal the log's index; a restart from the stored snapshot at {snap} read {blocks.Count - snap} blocks and wrote 0 rows twice");
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Fact]
    public async Task A_block_the_chain_does_not_reach_stops_the_follower_after_the_blocks_before_it()
    {
        using NatsServer? nats = NatsServer.Start(MaxPayload);
        if (nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        ChainRecorder chain = ChainRecorder.Record(rounds: 2);
        try
        {
            List<StoredBlock> blocks = Blocks(chain);
            int bad = blocks.Count / 2;
            await using NatsBlockStream leader = await StreamAsync(nats, "BAD");
            foreach (StoredBlock b in blocks.Take(bad - 1))
            {
                await leader.AppendAsync(b, CancellationToken.None);
            }

            // A sequencer that published a root its block does not reach.
            StoredBlock wrong = blocks[bad - 1];
            byte[] root = (byte[])wrong.StateRoot.Clone();
            root[0] ^= 1;
            await leader.AppendAsync(wrong with { StateRoot = root }, CancellationToken.None);

            using var db = new PgDatabase();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await using BlockStreamSource source = await BlockStreamSource.ConnectAsync(nats.Url, "BAD_BLOCKS", TimeSpan.FromSeconds(20), CancellationToken.None);
            var indexer = new ChainIndexer(File.ReadAllText(Path.Combine(chain.Dir, "genesis.json")), db.ConnectionString) { FlushWhenIdle = true };
            IndexerException e = await Assert.ThrowsAsync<IndexerException>(() => Task.Run(() => indexer.Index(source.Follow(stop.Token), null, stop.Token)));
            Assert.Contains($"block {bad}", e.Message, StringComparison.Ordinal);
            Assert.Contains("state root", e.Message, StringComparison.Ordinal);
            Assert.False(stop.IsCancellationRequested, "the follower waited instead of refusing");
            Assert.Equal(bad - 1, IndexedHeight(db));
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Fact]
    public async Task A_cluster_without_the_stream_is_refused_and_left_unchanged()
    {
        using NatsServer? nats = NatsServer.Start(MaxPayload);
        if (nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        IndexerException e = await Assert.ThrowsAsync<IndexerException>(() => BlockStreamSource.ConnectAsync(nats.Url, "NOPE_BLOCKS", TimeSpan.FromSeconds(20), CancellationToken.None));
        Assert.Contains("no stream NOPE_BLOCKS", e.Message, StringComparison.Ordinal);

        // Read-only: the refused indexer created nothing there.
        await using var conn = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = nats.Url });
        var js = new NATS.Client.JetStream.NatsJSContext(conn);
        var names = new List<string>();
        await foreach (string n in js.ListStreamNamesAsync())
        {
            names.Add(n);
        }

        Assert.Empty(names);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var psi = new ProcessStartInfo(CrashTests.Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            Assert.Fail("solvent indexer did not exit within 60 s");
        }

        return (p.ExitCode, o.Result, e.Result);
    }

    [Fact]
    public async Task The_command_follows_a_stream_until_SIGTERM_and_refuses_bad_input()
    {
        using NatsServer? nats = NatsServer.Start(MaxPayload);
        if (nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        ChainRecorder chain = ChainRecorder.Record(rounds: 2);
        try
        {
            string genesis = Path.Combine(chain.Dir, "genesis.json");
            using var db = new PgDatabase();

            // Bad input: exit 2 (or 1 for a cluster without the stream) with a message, nothing written.
            (int code, _, string err) = Cli("indexer", "--pg", db.ConnectionString);
            Assert.True(code == 2 && err.Contains("either --data", StringComparison.Ordinal), $"{code} {err}");
            (code, _, err) = Cli("indexer", "--data", chain.Dir, "--nats", nats.Url, "--genesis", genesis, "--pg", db.ConnectionString);
            Assert.True(code == 2 && err.Contains("either --data", StringComparison.Ordinal), $"{code} {err}");
            (code, _, err) = Cli("indexer", "--nats", nats.Url, "--pg", db.ConnectionString);
            Assert.True(code == 2 && err.Contains("--genesis", StringComparison.Ordinal), $"{code} {err}");
            (code, _, err) = Cli("indexer", "--nats", nats.Url, "--genesis", "/nonexistent/genesis.json", "--pg", db.ConnectionString);
            Assert.True(code == 2 && err.Contains("cannot read --genesis", StringComparison.Ordinal), $"{code} {err}");
            (code, _, err) = Cli("indexer", "--nats", nats.Url, "--genesis", genesis, "--stream", "ABSENT_BLOCKS", "--pg", db.ConnectionString);
            Assert.True(code == 1 && err.Contains("no stream ABSENT_BLOCKS", StringComparison.Ordinal), $"{code} {err}");
            Assert.Equal(0, IndexedHeight(db));

            List<StoredBlock> blocks = Blocks(chain);
            await using NatsBlockStream leader = await StreamAsync(nats, "CLI");
            foreach (StoredBlock b in blocks)
            {
                await leader.AppendAsync(b, CancellationToken.None);
            }

            var psi = new ProcessStartInfo(CrashTests.Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "indexer", "--nats", nats.Url, "--stream", "CLI_BLOCKS", "--genesis", genesis, "--pg", db.ConnectionString })
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            try
            {
                for (var until = DateTime.UtcNow.AddSeconds(60); IndexedHeight(db) < blocks.Count; await Task.Delay(50))
                {
                    Assert.True(DateTime.UtcNow < until && !p.HasExited, $"indexed {IndexedHeight(db)} of {blocks.Count}");
                }

                Assert.False(p.HasExited, "the follower exited at the stream's tip instead of waiting for more");
                Assert.Equal(0, Kill(p.Id, 15));
                Assert.True(p.WaitForExit(30_000), "no exit within 30 s of SIGTERM");
                Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {await stderr}");
                Assert.Contains($"stopped at height {blocks.Count}", await stdout, StringComparison.Ordinal);
            }
            finally
            {
                if (!p.HasExited)
                {
                    p.Kill(true);
                }
            }
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
