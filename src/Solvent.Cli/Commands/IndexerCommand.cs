using System.CommandLine;
using Npgsql;
using Solvent.Indexer;
using Solvent.Indexer.Api;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent indexer --data DIR --pg CONNSTR [--batch N] [--serve PORT]</c>: indexes a node's data directory
/// into PostgreSQL (resuming where the database stopped), then optionally serves the read API on 127.0.0.1.
/// Exit code 0 on success, 1 when the indexer refuses (wrong chain, gap), 2 on bad input.
/// </summary>
internal static class IndexerCommand
{
    public static Command Build()
    {
        var data = new Option<string>("--data") { Description = "A node's data directory (genesis.json and blocks.log), read-only", Required = true };
        var pg = new Option<string?>("--pg") { Description = "Npgsql connection string (default: $SOLVENT_PG)" };
        var batch = new Option<int>("--batch") { Description = "Blocks per transaction", DefaultValueFactory = _ => 256 };
        var serve = new Option<int?>("--serve") { Description = "After indexing, serve the read API on 127.0.0.1:PORT until stopped" };
        var cmd = new Command("indexer", "Index a chain's blocks and events into PostgreSQL and serve its history API") { data, pg, batch, serve };
        cmd.SetAction(p => Run(p.GetValue(data)!, p.GetValue(pg) ?? Environment.GetEnvironmentVariable("SOLVENT_PG"), p.GetValue(batch), p.GetValue(serve)));
        return cmd;
    }

    private static int Run(string dataDir, string? pg, int batch, int? port)
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
            IndexSummary s = ChainIndexer.IndexDirectory(dataDir, pg, batch, m => Console.Error.WriteLine(m));
            double secs = Math.Max(s.Elapsed.TotalSeconds, 1e-9);
            Console.WriteLine($"indexed to height {s.Height} (resumed from {s.ResumedFrom}): wrote {s.BlocksWritten} blocks, {s.ActionsWritten} actions in {s.Elapsed.TotalMilliseconds:F0} ms " +
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
