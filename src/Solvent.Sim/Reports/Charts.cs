using ScottPlot;
using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>PNG charts (ScottPlot): price vs oracle, cascade timeline, bad-debt distribution, threshold vs parameter.</summary>
internal static class Charts
{
    private const int Width = 960, Height = 480;

    public static void PriceVsOracle(string file, IReadOnlyList<SeriesPoint> series, IReadOnlyList<string> symbols)
    {
        var plt = new Plot();
        double[] hours = [.. series.Select(p => p.Time / 3600.0)];
        for (int a = 0; a < symbols.Count; a++)
        {
            double p0 = series[0].Reference[a];
            if (series.All(p => Math.Abs(p.Market[a] - p0) < 1e-12 && Math.Abs(p.Oracle[a] - p0) < 1e-12))
            {
                continue;
            }

            // Relative to the start, so assets of very different prices share one axis.
            var m = plt.Add.Scatter(hours, [.. series.Select(p => p.Market[a] / p0)]);
            m.LegendText = $"{symbols[a]} market (pool)";
            m.MarkerSize = 0;
            var o = plt.Add.Scatter(hours, [.. series.Select(p => p.Oracle[a] / p0)]);
            o.LegendText = $"{symbols[a]} oracle";
            o.MarkerSize = 0;
            o.LinePattern = LinePattern.Dashed;
        }

        plt.Title("Market price vs oracle price (relative to start)");
        plt.XLabel("hours");
        plt.YLabel("price / start price");
        plt.ShowLegend();
        plt.SavePng(file, Width, Height);
    }

    public static void Cascade(string file, IReadOnlyList<SeriesPoint> series)
    {
        var plt = new Plot();
        double[] hours = [.. series.Select(p => p.Time / 3600.0)];
        var a = plt.Add.Scatter(hours, [.. series.Select(p => p.LiquidationVolumeUsd / 1e6)]);
        a.LegendText = "cumulative liquidation volume (M USD)";
        a.MarkerSize = 0;
        var b = plt.Add.Scatter(hours, [.. series.Select(p => p.BadDebtUsd / 1e6)]);
        b.LegendText = "realized bad debt (M USD)";
        b.MarkerSize = 0;
        var c = plt.Add.Scatter(hours, [.. series.Select(p => p.InsuranceUsd / 1e6)]);
        c.LegendText = "insurance funds (M USD)";
        c.MarkerSize = 0;
        var d = plt.Add.Scatter(hours, [.. series.Select(p => p.AdlVolumeUsd / 1e6)]);
        d.LegendText = "ADL volume (M USD)";
        d.MarkerSize = 0;
        var r = plt.Add.Scatter(hours, [.. series.Select(p => (double)p.AtRisk)]);
        r.LegendText = "accounts at risk";
        r.MarkerSize = 0;
        r.Axes.YAxis = plt.Axes.Right;
        plt.Axes.Right.Label.Text = "accounts at risk";
        plt.Title("Cascade timeline");
        plt.XLabel("hours");
        plt.YLabel("M USD");
        plt.ShowLegend();
        plt.SavePng(file, Width, Height);
    }

    public static void BadDebtDistribution(string file, IReadOnlyList<double> badDebt) =>
        Histogram(file, [.. badDebt.Select(x => x / 1e6)], $"Bad debt over {badDebt.Count} paths", "bad debt (M USD)");

    public static void Histogram(string file, IReadOnlyList<double> values, string title, string xLabel)
    {
        var plt = new Plot();
        double min = values.Count == 0 ? 0 : Math.Min(0, values.Min());
        double max = values.Count == 0 ? 0 : values.Max();
        int bins = 30;
        double width = max > min ? (max - min) / bins : 1;
        var counts = new double[bins + 1];
        foreach (double x in values)
        {
            counts[Math.Min(bins, (int)((x - min) / width))]++;
        }

        var bars = plt.Add.Bars([.. Enumerable.Range(0, bins + 1).Select(i => min + ((i + 0.5) * width))], counts);
        foreach (var bar in bars.Bars)
        {
            bar.Size = width * 0.9;
        }

        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel("paths");
        plt.SavePng(file, Width, Height);
    }

    public static void ThresholdVsParameter(string file, string param, IReadOnlyList<(double Value, double Threshold, double Lo, double Hi)> points)
    {
        var plt = new Plot();
        double[] xs = [.. points.Select(p => p.Value)];
        var t = plt.Add.Scatter(xs, [.. points.Select(p => p.Threshold * 100)]);
        t.LegendText = "shock threshold (median)";
        var lo = plt.Add.Scatter(xs, [.. points.Select(p => p.Lo * 100)]);
        lo.LegendText = "95% CI";
        lo.LinePattern = LinePattern.Dotted;
        lo.MarkerSize = 0;
        var hi = plt.Add.Scatter(xs, [.. points.Select(p => p.Hi * 100)]);
        hi.LinePattern = LinePattern.Dotted;
        hi.MarkerSize = 0;
        hi.Color = lo.Color;
        plt.Title($"Insurance-exhausting shock vs {param}");
        plt.XLabel(param);
        plt.YLabel("shock (%)");
        plt.ShowLegend();
        plt.SavePng(file, Width, Height);
    }
}
