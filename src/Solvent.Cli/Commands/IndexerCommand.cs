using System.CommandLine;
using System.Runtime.InteropServices;
using Npgsql;
using Solvent.Indexer;
using Solvent.Indexer.Api;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent indexer --data DIR --pg CONNSTR [--batch N] [--serve PORT]</c>: indexes a node's data directory
/// into PostgreSQL (resuming where the database stopped), then optionally serves the read API on 127.0.0.1.
/// <c>solvent indexer --nats URLS --genesis FILE --pg CONNSTR [--serve PORT]</c> follows a replicated
/// deployment's block stream live instead, serving the API meanwhile, until SIGINT or SIGTERM.
/// Exit code 0 on success, 1 when the indexer refuses (wrong chain, gap), 2 on bad input.
/// </summary>
internal static class IndexerCommand
{
    public static Command Build()
    {
        var data = new Option<string?>("--data") { Description = "A node's data directory (genesis.json and blocks.log), read-only" };
        var nats = new Option<string?>("--nats") { Description = "Follow a replicated deployment's block stream on these NATS servers (comma-separated) instead of a data directory" };
        var stream = new Option<string>("--stream") { Description = "The block stream's name (with --nats; the nodes' --nats-prefix + _BLOCKS)", DefaultValueFactory = _ => "SOLVENT_BLOCKS" };
        var genesis = new Option<string?>("--genesis") { Description = "The chain's genesis file (with --nats)" };
        var pg = new Option<string?>("--pg") { Description = "Npgsql connection string (default: $SOLVENT_PG)" };
        var batch = new Option<int>("--batch") { Description = "Blocks per transaction", DefaultValueFactory = _ => 256 };
        var snapshotEvery = new Option<int>("--snapshot-every") { Description = "Store the indexer's engine state every N blocks so a restart re-executes only the blocks after it (0: never)", DefaultValueFactory = _ => 10_000 };
        var serve = new Option<int?>("--serve") { Description = "After indexing, serve the read API on 127.0.0.1:PORT until stopped" };
        var cmd = new Command("indexer", "Index a chain's blocks and events into PostgreSQL and serve its history API") { data, nats, stream, genesis, pg, batch, snapshotEvery, serve };
        cmd.SetAction(p =>
        {
            string? dir = p.GetValue(data);
            string? urls = p.GetValue(nats);
            string? cs = p.GetValue(pg) ?? Environment.GetEnvironmentVariable("SOLVENT_PG");
            if ((dir is null) == (urls is null))
            {
                Console.Error.WriteLine("error: pass either --data DIR (a node's data directory) or --nats URLS --genesis FILE (a replicated deployment's block stream)");
                return 2;
            }

            if (p.GetValue(snapshotEvery) < 0)
            {
                Console.Error.WriteLine("error: --snapshot-every must be 0 (never) or more blocks");
                return 2;
            }

            if (urls is not null && p.GetValue(genesis) is null)
            {
                Console.Error.WriteLine("error: --nats needs --genesis FILE: the indexer re-executes the chain from its genesis");
                return 2;
            }

            return dir is not null
                ? Run(dir, cs, p.GetValue(batch), p.GetValue(snapshotEvery), p.GetValue(serve))
                : Follow(urls!, p.GetValue(stream)!, p.GetValue(genesis)!, cs, p.GetValue(batch), p.GetValue(snapshotEvery), p.GetValue(serve));
        });
        cmd.Subcommands.Add(BuildBenchQuery());
        return cmd;
    }

    // `solvent indexer bench-query`: the account-history latency on a synthetic table of many rows.
    private static Command BuildBenchQuery()
    {
        var pg = new Option<string?>("--pg") { Description = "Npgsql connection string of an EMPTY database (default: $SOLVENT_PG)" };
        var rows = new Option<long>("--rows") { Description = "Synthetic account_events rows", DefaultValueFactory = _ => 10_000_000 };
        var queries = new Option<int>("--queries") { Description = "History queries to time (half first pages, half deep pages)", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("bench-query", "Fill an empty database with synthetic account history and time the history query (p50/p99)") { pg, rows, queries };
        cmd.SetAction(p =>
        {
            string? cs = p.GetValue(pg) ?? Environment.GetEnvironmentVariable("SOLVENT_PG");
            long n = p.GetValue(rows);
            int q = p.GetValue(queries);
            if (string.IsNullOrWhiteSpace(cs) || n < 1 || q < 2)
            {
                Console.Error.WriteLine("error: pass --pg (or set SOLVENT_PG), --rows ≥ 1 and --queries ≥ 2");
                return 2;
            }

            try
            {
                HistoryBenchResult r = HistoryBench.Run(cs, n, q, log: m => Console.Error.WriteLine(m));
                double[] all = r.All;
                Console.WriteLine($"account history over {r.Rows} rows, {r.Owners} owners (filled in {r.FillTime.TotalSeconds:F0} s), {all.Length} queries of 100 rows, index scan: {r.UsesIndex}");
                Console.WriteLine($"all   p50 {HistoryBenchResult.Quantile(all, 0.5):F2} ms  p99 {HistoryBenchResult.Quantile(all, 0.99):F2} ms  max {all[^1]:F2} ms");
                Console.WriteLine($"first p50 {HistoryBenchResult.Quantile(r.FirstPage, 0.5):F2} ms  p99 {HistoryBenchResult.Quantile(r.FirstPage, 0.99):F2} ms");
                Console.WriteLine($"deep  p50 {HistoryBenchResult.Quantile(r.DeepPage, 0.5):F2} ms  p99 {HistoryBenchResult.Quantile(r.DeepPage, 0.99):F2} ms");
                return 0;
            }
            catch (IndexerException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static int Follow(string urls, string stream, string genesisPath, string? pg, int batch, int snapshotEvery, int? port)
    {
        if (string.IsNullOrWhiteSpace(pg))
        {
            Console.Error.WriteLine("error: no PostgreSQL connection string: pass --pg or set SOLVENT_PG");
            return 2;
        }

        if (batch < 1)
        {
            Console.Error.WriteLine("error: --batch must be at least 1");
            return 2;
        }

        string genesisJson;
        try
        {
            genesisJson = File.ReadAllText(genesisPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: cannot read --genesis {genesisPath}: {e.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        WebApplication? app = null;
        NpgsqlDataSource? ds = null;
        try
        {
            var indexer = new ChainIndexer(genesisJson, pg) { BatchBlocks = batch, FlushWhenIdle = true, SnapshotEvery = snapshotEvery };
            BlockStreamSource source = BlockStreamSource.ConnectAsync(urls, stream, TimeSpan.FromSeconds(30), stop.Token).GetAwaiter().GetResult();
            try
            {
                if (port is { } p)
                {
                    WebApplicationBuilder b = WebApplication.CreateSlimBuilder();
                    b.Logging.SetMinimumLevel(LogLevel.Warning);
                    b.WebHost.UseUrls($"http://127.0.0.1:{p}");
                    ds = NpgsqlDataSource.Create(pg);
                    app = b.Build();
                    IndexerApi.Map(app, ds);
                    app.StartAsync().GetAwaiter().GetResult();
                    Console.WriteLine($"serving the indexer API on http://127.0.0.1:{p}");
                }

                Console.WriteLine($"following stream {stream} on {urls}; stop with Ctrl+C or SIGTERM");
                IndexSummary s = indexer.Index(after => source.Follow(stop.Token, after), m => Console.Error.WriteLine(m), stop.Token);
                Console.WriteLine($"stopped at height {s.Height} (resumed from {s.ResumedFrom}): wrote {s.BlocksWritten} blocks, {s.ActionsWritten} actions");
                return 0;
            }
            finally
            {
                source.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (IndexerException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("stopped before the stream was reached");
            return 0;
        }
        catch (Exception e) when (e is Core.Config.GenesisException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        finally
        {
            app?.StopAsync().GetAwaiter().GetResult();
            (app as IDisposable)?.Dispose();
            ds?.Dispose();
        }
    }

    private static int Run(string dataDir, string? pg, int batch, int snapshotEvery, int? port)
    {
        if (string.IsNullOrWhiteSpace(pg))
        {
            Console.Error.WriteLine("error: no PostgreSQL connection string: pass --pg or set SOLVENT_PG");
            return 2;
        }

        if (!File.Exists(Path.Combine(dataDir, Solvent.Node.Recovery.ChainLoader.GenesisFileName)) || !File.Exists(Path.Combine(dataDir, Storage.BlockLog.FileName)))
        {
            Console.Error.WriteLine($"error: {dataDir} is not a node data directory (it needs genesis.json and blocks.log)");
            return 2;
        }

        if (batch < 1)
        {
            Console.Error.WriteLine("error: --batch must be at least 1");
            return 2;
        }

        try
        {
            IndexSummary s = ChainIndexer.IndexDirectory(dataDir, pg, batch, m => Console.Error.WriteLine(m), snapshotEvery: snapshotEvery);
            double secs = Math.Max(s.Elapsed.TotalSeconds, 1e-9);
            Console.WriteLine($"indexed to height {s.Height} (resumed from {s.ResumedFrom}, re-executed {s.ReplayedBlocks} blocks from {(s.RestoredFrom > 0 ? $"the stored engine snapshot at {s.RestoredFrom}" : "genesis")}): wrote {s.BlocksWritten} blocks, {s.ActionsWritten} actions in {s.Elapsed.TotalMilliseconds:F0} ms " +
                $"({s.ActionsWritten / secs:F0} actions/s; replay {s.ReplayTime.TotalMilliseconds:F0} ms of which signatures {s.VerifyTime.TotalMilliseconds:F0} ms, PostgreSQL {s.WriteTime.TotalMilliseconds:F0} ms)");
        }
        catch (IndexerException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: bad connection string: {e.Message}");
            return 2;
        }

        if (port is not { } p)
        {
            return 0;
        }

        WebApplicationBuilder b = WebApplication.CreateSlimBuilder();
        b.Logging.SetMinimumLevel(LogLevel.Warning);
        b.WebHost.UseUrls($"http://127.0.0.1:{p}");
        using NpgsqlDataSource ds = NpgsqlDataSource.Create(pg);
        WebApplication app = b.Build();
        IndexerApi.Map(app, ds);
        Console.WriteLine($"serving the indexer API on http://127.0.0.1:{p}");
        app.Run();
        return 0;
    }
}
