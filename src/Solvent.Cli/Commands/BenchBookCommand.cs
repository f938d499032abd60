using System.CommandLine;
using System.Text.Json;
using Solvent.Cli.Bench;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent bench book</c>: single-thread place + cancel + match operations/s with margin checks, p99 match latency and allocation per operation.</summary>
internal static class BenchBookCommand
{
    public static Command Build()
    {
        var orders = new Option<int>("--orders") { Description = "Resting orders in the starting book", DefaultValueFactory = _ => 100_000 };
        var accounts = new Option<int>("--accounts") { Description = "Accounts owning them", DefaultValueFactory = _ => 10_000 };
        var cycles = new Option<int>("--cycles") { Description = "Measured cycles (5 operations each)", DefaultValueFactory = _ => 2_000_000 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var genesis = new Option<string>("--genesis") { Description = "Genesis file for the engine pass (its first market is used)", DefaultValueFactory = _ => BenchCommand.DefaultGenesis() };
        var cmd = new Command("book", "Order book: place + cancel + match operations/s with margin checks on every fill, p99 match latency, bytes allocated per operation") { orders, accounts, cycles, json, genesis };
        cmd.SetAction(p =>
        {
            int o = p.GetValue(orders), a = p.GetValue(accounts), c = p.GetValue(cycles);
            if (o < 1 || a < 1 || c < 100 || o > 2_000_000)
            {
                Console.Error.WriteLine("error: --orders in 1 … 2,000,000, --accounts ≥ 1, --cycles ≥ 100");
                return 2;
            }

            bool asJson = p.GetValue(json);
            BookBenchResult r = BookBenchRunner.Run(p.GetValue(genesis)!, o, a, c, msg => { if (!asJson) { AnsiConsole.MarkupLine($"[grey]{Markup.Escape(msg)}…[/]"); } });
            if (asJson)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(r, EvalCommand.Json));
                return 0;
            }

            var t = new Table().AddColumns("figure", "value", "target");
            t.AddRow("resting orders (start / end)", $"{r.RestingOrdersStart:N0} / {r.RestingOrdersEnd:N0}", "100,000");
            t.AddRow("accounts", r.Accounts.ToString("N0"), "10,000");
            t.AddRow("opsPerSec (place, cancel, place|cancel, match)", r.OpsPerSec.ToString("N0"), "≥ 1,000,000");
            t.AddRow("matchP50Us / matchP99Us", $"{r.MatchP50Us} / {r.MatchP99Us}", "p99 ≤ 10");
            t.AddRow("allocatedBytesPerOp", r.AllocatedBytesPerOp.ToString(), "0");
            t.AddRow("fills / cancel hit rate", $"{r.Fills:N0} / {r.CancelHitRate}", "");
            t.AddRow("engineOpsPerSec (Engine.Apply: place, cancel, IOC)", r.EngineOpsPerSec.ToString("N0"), "");
            t.AddRow("engineTakeP99Us / engineAllocatedBytesPerOp", $"{r.EngineTakeP99Us} / {r.EngineAllocatedBytesPerOp}", "");
            AnsiConsole.Write(t);
            return 0;
        });
        return cmd;
    }
}
