using System.CommandLine;
using System.Text.Json;
using Solvent.Core.Math;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent conform</c>: the conformance suite's entry point for pure formulas that no eval request
/// exposes. Reads {"compound":[{"rate":"0.04","seconds":31536000}, …]} on stdin and writes the factors
/// (ray, decimal strings) as JSON; health figures go through <c>solvent eval --json</c>.
/// </summary>
internal static class ConformCommand
{
    public static Command Build()
    {
        var cmd = new Command("conform", "Compute formula cases for the conformance suite (JSON on stdin and stdout)");
        cmd.SetAction(_ =>
        {
            using JsonDocument doc = JsonDocument.Parse(Console.In.ReadToEnd());
            var factors = new List<string>();
            foreach (JsonElement c in doc.RootElement.GetProperty("compound").EnumerateArray())
            {
                if (!DecimalString.TryParse(c.GetProperty("rate").GetString(), 27, out Int128 rate, out string err) || rate < 0)
                {
                    Console.Error.WriteLine($"error: rate: {err}");
                    return 2;
                }

                long seconds = c.GetProperty("seconds").GetInt64();
                factors.Add(InterestMath.CompoundedFactor((UInt128)rate, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(new { compound = factors }));
            return 0;
        });
        return cmd;
    }
}
