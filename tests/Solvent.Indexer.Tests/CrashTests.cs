using System.Diagnostics;

namespace Solvent.Indexer.Tests;

public class CrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    internal static string Binary()
    {
        string config = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        string bin = Path.Combine(ChainRecorder.RepoRoot(), "src", "Solvent.Cli", "bin", config, "net10.0", "solvent");
        Assert.True(File.Exists(bin), $"{bin} is missing: build src/Solvent.Cli first");
        return bin;
    }

    private static Process Start(string dir, string pg, int batch, params string[] more) => Start(dir, pg, batch, null, more);

    private static Process Start(string dir, string pg, int batch, Action? onBatch, params string[] more)
    {
        var psi = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "indexer", "--data", dir, "--pg", pg, "--batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(more))
        {
            psi.ArgumentList.Add(a);
        }

        // Start-up speed matters more than peak speed for many short runs.
        psi.Environment["DOTNET_TieredCompilation"] = "1";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("indexed through block", StringComparison.Ordinal) == true)
            {
                onBatch?.Invoke();
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>
    /// Waits for the indexer's next committed batch: true when it came, false when the process ended first
    /// (it had nothing left to index). Polls so that an exited process ends the wait at once rather than
    /// after the full minute allowed for a slow batch.
    /// </summary>
    private static bool NextBatch(Process p, SemaphoreSlim batches)
    {
        for (var until = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < until;)
        {
            if (batches.Wait(100))
            {
                return true;
            }

            if (p.HasExited)
            {
                return false;
            }
        }

        Assert.Fail("no progress within a minute");
        return false;
    }

    /// <summary>
    /// Runs the indexer in batches of 2 blocks and SIGKILLs it after a random one or two committed batches plus a
    /// random few milliseconds: inside a transaction, between COPYs, or between batches, always after the
    /// restart made progress. True when it was still running (killed, not finished).
    /// </summary>
    private static bool RunAndKill(string dir, string pg, Random rng, params string[] more)
    {
        using var batches = new SemaphoreSlim(0);
        using Process p = Start(dir, pg, 2, () => batches.Release(), more);
        int k = rng.Next(1, 3);
        for (int i = 0; i < k && NextBatch(p, batches); i++)
        {
        }

        Thread.Sleep(rng.Next(0, 25));
        bool killed = !p.HasExited;
        if (killed)
        {
            p.Kill(entireProcessTree: true); // SIGKILL
        }

        Assert.True(p.WaitForExit(60_000), "the indexer did not exit within a minute of its kill");
        return killed;
    }

    [Fact]
    public void Sigkill_at_random_points_leaves_no_missing_or_duplicated_rows()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 100, fillers: 6);
        using var crashed = new PgDatabase();
        using var clean = new PgDatabase();
        try
        {
            ChainIndexer.IndexDirectory(chain.Dir, clean.ConnectionString, batchBlocks: 64);
            var rng = new Random(Environment.TickCount);
            int killedMidway = 0;
            var heights = new List<long>();
            for (int cycle = 0; cycle < 24; cycle++)
            {
                killedMidway += RunAndKill(chain.Dir, crashed.ConnectionString, rng) ? 1 : 0;
                heights.Add(crashed.Scalar<long>("SELECT COALESCE((SELECT last_height FROM indexer_state), 0)"));
            }

            output.WriteLine($"killed {killedMidway} of 24 midway; heights {string.Join(",", heights)} of {chain.Engine.Height}");
            using (Process final = Start(chain.Dir, crashed.ConnectionString, batch: 3))
            {
                Assert.True(final.WaitForExit(120_000), "the final run did not finish");
                Assert.Equal(0, final.ExitCode);
            }

            Assert.True(killedMidway >= 20, $"only {killedMidway} of 24 runs were killed before finishing (heights {string.Join(",", heights)} of {chain.Engine.Height})");
            Assert.True(heights.Distinct().Count() >= 20, $"kills did not land at different heights: {string.Join(",", heights)}");
            Assert.True(heights.Any(h => h > 0 && h < chain.Engine.Height), $"no kill landed mid-chain: {string.Join(",", heights)}");

            Assert.Equal(clean.Digest(), crashed.Digest());
            Assert.Equal(chain.Actions, crashed.Scalar<long>("SELECT count(*) FROM actions"));
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Fact]
    public void Sigkill_while_every_commit_writes_a_snapshot_never_leaves_a_snapshot_ahead_of_the_rows()
    {
        // Every batch of 2 blocks also stores the engine snapshot (--snapshot-every 2) in the same transaction,
        // so a kill inside any transaction is a kill while a snapshot is being written. Each restart restores
        // the stored snapshot and only re-executes after it, so restarts progress fast: the chain is long
        // enough that most kills still land mid-chain.
        ChainRecorder chain = ChainRecorder.Record(rounds: 60, fillers: 6);
        using var crashed = new PgDatabase();
        using var clean = new PgDatabase();
        try
        {
            ChainIndexer.IndexDirectory(chain.Dir, clean.ConnectionString, batchBlocks: 64);
            var rng = new Random(Environment.TickCount);
            int killedMidway = 0;
            var heights = new List<long>();
            var restoredFrom = new List<long>();
            for (int cycle = 0; cycle < 24; cycle++)
            {
                killedMidway += RunAndKill(chain.Dir, crashed.ConnectionString, rng, "--snapshot-every", "2") ? 1 : 0;
                long last = crashed.Scalar<long>("SELECT COALESCE((SELECT last_height FROM indexer_state), 0)");
                long snap = crashed.Scalar<long>("SELECT COALESCE((SELECT height FROM indexer_snapshot WHERE id = 1), 0)");
                Assert.True(snap <= last, $"cycle {cycle}: the stored snapshot (block {snap}) is ahead of the rows (block {last})");
                if (snap > 0)
                {
                    string root = crashed.Scalar<string>("SELECT encode(state_root, 'hex') FROM indexer_snapshot WHERE id = 1");
                    Assert.Equal(clean.Scalar<string>($"SELECT encode(state_root, 'hex') FROM blocks WHERE height = {snap}"), root);
                }

                heights.Add(last);
                restoredFrom.Add(snap);
            }

            output.WriteLine($"killed {killedMidway} of 24 midway; heights {string.Join(",", heights)} of {chain.Engine.Height}; snapshots {string.Join(",", restoredFrom)}");
            using (Process final = Start(chain.Dir, crashed.ConnectionString, 64))
            {
                Assert.True(final.WaitForExit(120_000), "the final run did not finish");
                Assert.Equal(0, final.ExitCode);
            }

            Assert.True(killedMidway >= 20, $"only {killedMidway} of 24 runs were killed before finishing (heights {string.Join(",", heights)} of {chain.Engine.Height})");
            Assert.True(heights.Distinct().Count() >= 16, $"kills did not land at different heights: {string.Join(",", heights)}");
            Assert.Equal(clean.Digest(), crashed.Digest());
            Assert.Equal(chain.Actions, crashed.Scalar<long>("SELECT count(*) FROM actions"));
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Fact]
    public async Task The_command_serves_the_api_after_indexing_and_refuses_bad_input()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 2);
        using var db = new PgDatabase();
        try
        {
            using (Process bad = Start(Path.Combine(chain.Dir, "missing"), db.ConnectionString, batch: 3))
            {
                Assert.True(bad.WaitForExit(60_000));
                Assert.Equal(2, bad.ExitCode);
            }

            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            using Process p = Start(chain.Dir, db.ConnectionString, 3, "--serve", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var http = new HttpClient();
            string? body = null;
            for (int i = 0; i < 300 && body is null; i++)
            {
                try
                {
                    body = await http.GetStringAsync($"http://127.0.0.1:{port}/v1/status");
                }
                catch (HttpRequestException)
                {
                    Assert.False(p.HasExited, "the indexer exited instead of serving");
                    await Task.Delay(100);
                }
            }

            p.Kill(entireProcessTree: true);
            Assert.NotNull(body);
            Assert.Equal(chain.Engine.Height, System.Text.Json.JsonDocument.Parse(body!).RootElement.GetProperty("height").GetInt64());
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }
}
