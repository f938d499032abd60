using System.CommandLine;
using Solvent.Sim.Distributed;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent stress run SCENARIO [--paths N] [--out DIR] [--json]</c>.</summary>
internal static class StressRunCommand
{
    public static Command Build()
    {
        var inputs = new StressInputs();
        Command cmd = inputs.Command("run", "Run a scenario's paths and report bad debt, liquidations and the insurance fund");
        var nats = new StressNatsOptions();
        nats.AddTo(cmd, urls: true);
        cmd.SetAction(p => StressCommand.Guard(() =>
        {
            Scenario s = inputs.Load(p);
            int count = inputs.Paths(p, s.Paths);
            bool asJson = inputs.Json(p);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            DistributedOptions? distributed = nats.Read(p);
            StressRun r = StressCommand.WithProgress(asJson, "paths", count, done => distributed is null
                ? StressRunner.Run(s, count, pathDone: done)
                : StressNatsOptions.Nats(() => DistributedStress.RunAsync(
                    distributed, inputs.ScenarioPath(p), s, inputs.Accounts(p), count, done, w => Console.Error.WriteLine($"warning: {w}"), CancellationToken.None).GetAwaiter().GetResult()));
            double seconds = sw.Elapsed.TotalSeconds;
            string? dir = inputs.OutDir(p);
            if (dir is not null)
            {
                StressReport.WriteRun(dir, r);
            }

            if (asJson)
            {
                Console.Out.WriteLine(SummaryJson.Serialize(r.Summary));
                return 0;
            }

            StressSummary m = r.Summary;
            var t = new Table().AddColumns("figure", "mean", "p50", "VaR95", "VaR99", "max");
            Row(t, "bad debt (USD)", m.BadDebtUsd);
            Row(t, "liquidations", m.Liquidations);
            Row(t, "liquidation volume (USD)", m.LiquidationVolumeUsd);
            Row(t, "insurance used (USD)", m.InsuranceUsedUsd);
            Row(t, "insurance max drawdown", m.InsuranceMaxDrawdown);
            Row(t, "ADL volume (USD)", m.AdlVolumeUsd);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(m.Scenario)}[/]: {m.Paths} path(s) × {m.Steps} steps × {m.Accounts:N0} accounts in {seconds:F1} s");
            AnsiConsole.Write(t);
            ShareInterval x = m.Exhausted;
            AnsiConsole.MarkupLine($"liquidation efficiency {m.LiquidationEfficiency:P2}, fund at start {m.InsuranceStartUsd:N0} USD, book {m.BookUsd:N0} USD");
            AnsiConsole.MarkupLine($"funds net of unpaid bad debt below zero on {x.Share:P1} of {x.Observations} distinct price path(s) (95% CI {x.Low95:P1}–{x.High95:P1}); worst net fund {m.NetFundWorstUsd:N0} USD");
            AnsiConsole.MarkupLine($"socialized loss on {m.PathsWithSocializedLoss} path(s) (mean {m.SocializedUsd.Mean:N0} USD, {m.SocializedShareOfBook.Mean:P3} of book), ADL on {m.PathsWithAdl} path(s)");
            foreach (PoolLoss pl in m.SocializedByPool)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(pl.Pool)}: {pl.Paths} path(s), mean {pl.MeanUsd:N0} USD, max {pl.MaxUsd:N0} USD");
            }

            if (dir is not null)
            {
                AnsiConsole.MarkupLine($"wrote {Markup.Escape(dir)}/summary.json, report.html and series.csv");
            }

            return 0;
        }));
        return cmd;
    }

    private static void Row(Table t, string name, Stats s) =>
        t.AddRow(name, s.Mean.ToString("N2"), s.P50.ToString("N2"), s.Var95.ToString("N2"), s.Var99.ToString("N2"), s.Max.ToString("N2"));
}
