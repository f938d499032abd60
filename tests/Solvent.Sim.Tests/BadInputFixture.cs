using System.Globalization;
using System.Text;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>
/// A historical scenario in its own temporary folder (the example genesis, two candle files), small enough
/// to run in well under a second, so tests can corrupt one file or field and load and run it the way
/// <c>solvent stress run</c> does.
/// </summary>
internal sealed class BadInputFixture : IDisposable
{
    public const long FirstCandle = 1_583_020_800; // 2020-03-01T00:00:00Z

    public BadInputFixture()
    {
        Dir = Path.Combine(Path.GetTempPath(), "solvent-sim-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        File.Copy(Path.Combine(SimScenarios.ScenarioDir, "genesis.example.json"), Path.Combine(Dir, "genesis.example.json"));
        File.WriteAllText(EthCsv, Candles(48, 200));
        File.WriteAllText(BtcCsv, Candles(48, 6000));
        File.WriteAllText(ScenarioFile, ScenarioJson());
    }

    public string Dir { get; }

    public string EthCsv => Path.Combine(Dir, "eth.csv");

    public string BtcCsv => Path.Combine(Dir, "btc.csv");

    public string ScenarioFile => Path.Combine(Dir, "scenario.json");

    /// <summary>Hourly candles from <see cref="FirstCandle"/>, a gentle wave around <paramref name="price"/>; header plus one line per candle, LF endings.</summary>
    public static string Candles(int count, double price)
    {
        var sb = new StringBuilder("timestamp,open,high,low,close,volume\n");
        double close = price;
        for (int i = 0; i < count; i++)
        {
            double open = close;
            close = price * (1 + (0.05 * Math.Sin(i / 5.0)));
            double hi = Math.Max(open, close) * 1.01, lo = Math.Min(open, close) * 0.99;
            sb.Append(CultureInfo.InvariantCulture, $"{FirstCandle + (i * 3600)},{open:F2},{hi:F2},{lo:F2},{close:F2},{100 + i}\n");
        }

        return sb.ToString();
    }

    /// <summary>A 6-hour replay from 2020-03-01T06:00Z (inside the 48-hour files) over 40 accounts.</summary>
    public static string ScenarioJson(string start = "2020-03-01T06:00:00Z", long duration = 21_600, int paths = 2, int accounts = 40) => $$"""
    {
      "name": "bad-input", "seed": 5, "paths": {{paths}}, "stepSeconds": 300, "durationSeconds": {{duration}},
      "venues": [ {
        "genesis": "genesis.example.json",
        "insuranceUsd": { "USDC": 20000 },
        "marketInsuranceUsd": { "ETH-PERP": 5000 },
        "population": {{SimScenarios.Generated(accounts, 0.2)}}
      } ],
      "prices": { "model": "historical", "start": "{{start}}", "assets": [ { "symbol": "ETH", "file": "eth.csv" }, { "symbol": "WBTC", "file": "btc.csv" } ] },
      "oracle": { "updateIntervalSeconds": 300, "lagSeconds": 300, "deviationThreshold": 0.005, "heartbeatSeconds": 3600 },
      "keepers": { "count": 2, "latencySeconds": 30, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }
    }
    """;

    /// <summary>Replaces line <paramref name="line"/> (1-based) of the ETH file.</summary>
    public void SetEthLine(int line, string text)
    {
        string[] lines = File.ReadAllLines(EthCsv);
        lines[line - 1] = text;
        File.WriteAllText(EthCsv, string.Join('\n', lines) + "\n");
    }

    /// <summary>Loads and runs the scenario as the CLI does; returns the summary, or throws what the simulator threw.</summary>
    public StressSummary Run(int? paths = null) => StressRunner.Run(ScenarioLoader.Load(ScenarioFile), paths).Summary;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
