using System.Text.Json;
using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>
/// Writes a command's output folder. <c>stress run</c> writes summary.json, series.csv (path 0) and report.html;
/// <c>stress threshold</c> writes threshold.json and <c>stress sweep</c> sweep-PARAM.json. Each then rewrites
/// report.html from everything the folder holds, so running threshold and sweeps into the folder of a run (in
/// any order) gives one report with all of them.
/// </summary>
public static class StressReport
{
    /// <summary>The threshold output's file name.</summary>
    public const string ThresholdFile = "threshold.json";

    /// <summary>Writes everything for a <c>stress run</c>, and report.html with any threshold or sweep output already in <paramref name="dir"/>.</summary>
    public static void WriteRun(string dir, StressRun run)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson.Serialize(run.Summary));
        if (run.Series is { Count: > 1 } series)
        {
            File.WriteAllText(Path.Combine(dir, "series.csv"), SeriesCsv.Write(series, run.Symbols));
        }

        WriteHtml(dir, run.Summary.Scenario, run);
    }

    /// <summary>Writes threshold.json and the report.</summary>
    public static void WriteThreshold(string dir, string scenario, IReadOnlyList<ThresholdResult> results)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ThresholdFile), SummaryJson.Serialize(results));
        WriteHtml(dir, scenario, null);
    }

    /// <summary>Writes sweep-PARAM.json and the report.</summary>
    public static void WriteSweep(string dir, SweepResult sweep)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"sweep-{sweep.Param}.json"), SummaryJson.Serialize(sweep));
        WriteHtml(dir, sweep.Scenario, null);
    }

    /// <summary>
    /// report.html for <paramref name="run"/> (when given) with the threshold and sweep outputs in the folder. A run
    /// summary left in the folder by an earlier <c>stress run</c> is not re-read: its charts need the paths.
    /// </summary>
    public static void WriteHtml(string dir, string title, StressRun? run)
    {
        IReadOnlyList<ThresholdResult> thresholds = File.Exists(Path.Combine(dir, ThresholdFile))
            ? Read<List<ThresholdResult>>(Path.Combine(dir, ThresholdFile)) ?? []
            : [];
        var sweeps = new List<SweepResult>();
        foreach (string f in Directory.GetFiles(dir, "sweep-*.json").Order(StringComparer.Ordinal))
        {
            if (Read<SweepResult>(f) is { } s)
            {
                sweeps.Add(s);
            }
        }

        File.WriteAllText(Path.Combine(dir, "report.html"), RiskReport.Html(title, run, thresholds, sweeps));
    }

    /// <summary>A previous command's output; one that no longer parses (another version, hand-edited) is left out of the report.</summary>
    private static T? Read<T>(string file)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), SummaryJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
