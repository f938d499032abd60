using System.CommandLine;
using System.Globalization;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent stress sweep SCENARIO --param NAME --values a,b,c</c>: shock threshold and bad-debt VaR per value.</summary>
internal static class StressSweepCommand
{
    public static Command Build()
    {
        var inputs = new StressInputs();
        var param = new Option<string>("--param") { Description = string.Join(", ", ScenarioOverrides.Names), Required = true };
        var values = new Option<string>("--values") { Description = "Comma-separated values", Required = true };
        Command cmd = inputs.Command("sweep", "Threshold and VaR for each value of one parameter");
        cmd.Options.Add(param);
        cmd.Options.Add(values);
        cmd.SetAction(p => StressCommand.Guard(() =>
        {
            Scenario s = inputs.Load(p);
            string name = p.GetValue(param)!;
            var vals = new List<double>();
            foreach (string v in p.GetValue(values)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                vals.Add(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : throw new ScenarioException("--values", $"{v} is not a number"));
            }

            int n = inputs.Paths(p, Math.Min(s.Paths, 16));
            bool asJson = inputs.Json(p);
            var scenarios = vals.Select(v => ScenarioOverrides.Apply(s, name, v)).ToList();
            var points = new List<SweepPoint>();
            for (int i = 0; i < vals.Count; i++)
            {
                Scenario si = scenarios[i];
                ThresholdResult t = StressCommand.WithProgress(asJson, $"{name}={vals[i]} threshold", n, done => ThresholdSearch.Find(si, "shock", n, pathDone: done));
                StressRun r = StressRunner.Run(si, n);
                points.Add(new SweepPoint(vals[i], t, r.Summary.BadDebtUsd, r.Summary.ExhaustedShare, r.Summary.Risk));
            }

            var result = new SweepResult(s.Name, name, points);
            string text = SummaryJson.Serialize(result);
            if (inputs.OutDir(p) is { } dir)
            {
                StressReport.WriteSweep(dir, result);
            }

            if (asJson)
            {
                Console.Out.WriteLine(text);
                return 0;
            }

            var table = new Table().AddColumns(name, "shock threshold", "95% CI", "bad debt VaR95", "VaR99", "exhausted");
            foreach (SweepPoint x in points)
            {
                table.AddRow(x.Value.ToString(CultureInfo.InvariantCulture), x.Threshold.Threshold.ToString("P1"), $"{x.Threshold.CiLow:P1}–{x.Threshold.CiHigh:P1}", x.BadDebtUsd.Var95.ToString("N0"), x.BadDebtUsd.Var99.ToString("N0"), x.ExhaustedShare.ToString("P0"));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return cmd;
    }
}
