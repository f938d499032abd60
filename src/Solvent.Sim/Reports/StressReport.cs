using System.Net;
using System.Text;
using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>Writes a run's output folder: summary.json, series.csv, PNG charts and a report.html that shows them.</summary>
public static class StressReport
{
    /// <summary>Writes everything for a <c>stress run</c>.</summary>
    public static void WriteRun(string dir, StressRun run)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson.Serialize(run.Summary));
        var charts = new List<(string File, string Caption)>();
        if (run.Series is { Count: > 1 } series)
        {
            File.WriteAllText(Path.Combine(dir, "series.csv"), SeriesCsv.Write(series, run.Symbols));
            Charts.PriceVsOracle(Path.Combine(dir, "price-vs-oracle.png"), series, run.Symbols);
            Charts.Cascade(Path.Combine(dir, "cascade.png"), series);
            charts.Add(("price-vs-oracle.png", "Pool (market) price against the oracle's answer, path 0"));
            charts.Add(("cascade.png", "Liquidations, bad debt, insurance and accounts at risk over time, path 0"));
        }

        Charts.BadDebtDistribution(Path.Combine(dir, "bad-debt-distribution.png"), [.. run.Outcomes.Select(o => o.BadDebtUsd)]);
        charts.Add(("bad-debt-distribution.png", "Bad debt over all paths"));
        WriteHtml(dir, run.Summary.Scenario, SummaryJson.Serialize(run.Summary with { PathResults = [] }), charts);
    }

    /// <summary>Writes report.html: the summary (without per-path rows) and the charts.</summary>
    public static void WriteHtml(string dir, string title, string summaryJson, IReadOnlyList<(string File, string Caption)> charts)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        sb.Append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}pre{background:#f4f4f4;padding:1em;overflow:auto}img{max-width:100%}</style></head><body>");
        sb.Append("<h1>Stress report: ").Append(WebUtility.HtmlEncode(title)).Append("</h1><h2>Summary</h2><pre>").Append(WebUtility.HtmlEncode(summaryJson)).Append("</pre>");
        foreach ((string file, string caption) in charts)
        {
            sb.Append("<figure><img src=\"").Append(file).Append("\" alt=\"").Append(WebUtility.HtmlEncode(caption)).Append("\"><figcaption>").Append(WebUtility.HtmlEncode(caption)).Append("</figcaption></figure>");
        }

        sb.Append("</body></html>");
        File.WriteAllText(Path.Combine(dir, "report.html"), sb.ToString());
    }
}
