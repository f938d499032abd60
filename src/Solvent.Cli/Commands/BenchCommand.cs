using System.CommandLine;
using System.Text.Json;
using Solvent.Cli.Bench;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent bench [--accounts N] [--json]</c>: scan, index-tick and Apply figures on a synthetic book, measured in one run.</summary>
internal static class BenchCommand
{
    public static Command Build()
    {
        var accounts = new Option<int>("--accounts") { Description = "Subaccounts in the synthetic book", DefaultValueFactory = _ => 1_000_000 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var seed = new Option<int>("--seed") { Description = "Book generator seed", DefaultValueFactory = _ => 1 };
        var genesis = new Option<string>("--genesis") { Description = "Genesis file", DefaultValueFactory = _ => DefaultGenesis() };
        var cmd = new Command("bench", "Measure full scans, incremental liquidation ticks and Apply throughput on a synthetic book; `bench node` loads a node over HTTP") { accounts, json, seed, genesis };
        cmd.Subcommands.Add(BenchNodeCommand.Build());
        cmd.Subcommands.Add(BenchBookCommand.Build());
        cmd.SetAction(p =>
        {
            int n = p.GetValue(accounts);
            if (n < 1_000 || n > 20_000_000)
            {
                Console.Error.WriteLine("error: --accounts must be between 1,000 and 20,000,000");
                return 2;
            }

            bool asJson = p.GetValue(json);
            BenchResult r = BenchRunner.Run(p.GetValue(genesis)!, n, p.GetValue(seed), msg => { if (!asJson) { AnsiConsole.MarkupLine($"[grey]{Markup.Escape(msg)}…[/]"); } });
            if (asJson)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(r, EvalCommand.Json));
                return 0;
            }

            var t = new Table().AddColumns("figure", "value", "target");
            t.AddRow("subaccounts", r.Accounts.ToString("N0"), "");
            t.AddRow("fullScanMs (parallel, median of 5)", r.FullScanMs.ToString(), "≤ 50");
            t.AddRow("fullScanSingleThreadMs", r.FullScanSingleThreadMs.ToString(), "");
            t.AddRow("tickP50Us / tickP99Us", $"{r.TickP50Us} / {r.TickP99Us}", "p99 ≤ 1000");
            t.AddRow("indexSpeedup", r.IndexSpeedup.ToString(), "≥ 50");
            t.AddRow("accounts evaluated per tick", r.TickMeanEvaluated.ToString(), "");
            t.AddRow("applyPerSec", r.ApplyPerSec.ToString("N0"), "≥ 1,000,000");
            t.AddRow("bytesPerAccount", r.BytesPerAccount.ToString(), "≤ 1,024");
            AnsiConsole.Write(t);
            return 0;
        });
        return cmd;
    }

    /// <summary>scenarios/genesis.example.json next to the repository root the binary was built from, or the working directory's.</summary>
    internal static string DefaultGenesis()
    {
        string dir = AppContext.BaseDirectory;
        while (dir.Length > 0)
        {
            string candidate = Path.Combine(dir, "scenarios", "genesis.example.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            dir = Path.GetDirectoryName(dir) ?? "";
        }

        return Path.Combine("scenarios", "genesis.example.json");
    }
}
