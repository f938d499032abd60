using System.CommandLine;
using Solvent.Sim.Prices;
using Solvent.Sim.Reports;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent stress calibrate SYMBOL=FILE...</c>: fits GBM-with-jumps, GARCH(1,1) and correlations to hourly candles; prints JSON for a scenario's <c>prices</c>.</summary>
internal static class StressCalibrateCommand
{
    public static Command Build()
    {
        var inputs = new Argument<string[]>("series") { Description = "SYMBOL=path/to/hourly.csv, one per asset", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("calibrate", "Calibrate Monte Carlo price models on hourly candle files") { inputs };
        cmd.SetAction(p => StressCommand.Guard(() =>
        {
            var list = new List<(string, string)>();
            foreach (string s in p.GetValue(inputs)!)
            {
                int eq = s.IndexOf('=');
                if (eq <= 0 || !File.Exists(s[(eq + 1)..]))
                {
                    Console.Error.WriteLine($"error: {s}: expected SYMBOL=FILE with an existing file");
                    return 2;
                }

                list.Add((s[..eq], s[(eq + 1)..]));
            }

            Console.Out.WriteLine(SummaryJson.Serialize(Calibration.Run(list)));
            return 0;
        }));
        return cmd;
    }
}
