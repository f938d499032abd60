using System.CommandLine;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent stress threshold SCENARIO [--paths N] [--kind shock|volMultiplier|both]</c>: the stress that exhausts the insurance fund.</summary>
internal static class StressThresholdCommand
{
    public static Command Build()
    {
        var inputs = new StressInputs();
        var kind = new Option<string>("--kind") { Description = "shock, volMultiplier or both", DefaultValueFactory = _ => "both" };
        Command cmd = inputs.Command("threshold", "Smallest instantaneous shock (and volatility multiplier) at which the insurance fund is exhausted, with a 95% CI");
        cmd.Options.Add(kind);
        cmd.SetAction(p => StressCommand.Guard(() =>
        {
            Scenario s = inputs.Load(p);
            int n = inputs.Paths(p, Math.Min(s.Paths, 32));
            string k = p.GetValue(kind)!;
            string[] kinds = k == "both" ? ["shock", "volMultiplier"] : [k];
            bool asJson = inputs.Json(p);
            var results = new List<ThresholdResult>();
            foreach (string kk in kinds)
            {
                results.Add(StressCommand.WithProgress(asJson, kk, n, done => ThresholdSearch.Find(s, kk, n, pathDone: done)));
            }

            string text = SummaryJson.Serialize(results);
            if (inputs.OutDir(p) is { } dir)
            {
                StressReport.WriteThreshold(dir, s.Name, results);
            }

            if (asJson)
            {
                Console.Out.WriteLine(text);
                return 0;
            }

            foreach (ThresholdResult r in results)
            {
                AnsiConsole.MarkupLine($"{r.Kind}: [bold]{r.Threshold:G4}[/] (95% CI {r.CiLow:G4}–{r.CiHigh:G4}) over {r.Paths} paths, {r.Censored} censored at {r.Ceiling}");
            }

            return 0;
        }));
        return cmd;
    }
}
