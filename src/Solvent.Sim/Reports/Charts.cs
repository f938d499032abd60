using ScottPlot;
using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>
/// The report's charts (ScottPlot), each returned as an inline SVG element so report.html is one self-contained
/// file. Every axis names its unit. Inputs are figures already computed; nothing here reads a clock or a file.
/// Lines are told apart by colour and width, not dash patterns, which the SVG backend does not support.
/// </summary>
internal static class Charts
{
    private const int Width = 900, Height = 420;

    /// <summary>Pool (market) price and oracle answer per moving asset, relative to the start.</summary>
    public static string PriceVsOracle(IReadOnlyList<SeriesPoint> series, IReadOnlyList<string> symbols, string title)
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
            o.Color = m.Color.WithAlpha(0.45);
            o.LineWidth = 3;
        }

        plt.Title(title);
        plt.XLabel("simulated hours");
        plt.YLabel("price / start price");
        plt.ShowLegend(Alignment.LowerLeft);
        return plt.GetSvgHtml(Width, Height);
    }

    /// <summary>Cumulative liquidations, bad debt, insurance funds and ADL (M USD), with accounts at risk on the right axis.</summary>
    public static string Cascade(IReadOnlyList<SeriesPoint> series, string title)
    {
        var plt = new Plot();
        double[] hours = [.. series.Select(p => p.Time / 3600.0)];
        void Line(Func<SeriesPoint, double> f, string label)
        {
            var s = plt.Add.Scatter(hours, [.. series.Select(p => f(p) / 1e6)]);
            s.LegendText = label;
            s.MarkerSize = 0;
        }

        Line(p => p.LiquidationVolumeUsd, "cumulative liquidation volume (M USD)");
        Line(p => p.BadDebtUsd, "realized bad debt (M USD)");
        Line(p => p.InsuranceUsd, "insurance funds (M USD)");
        Line(p => p.AdlVolumeUsd, "ADL volume (M USD)");
        var r = plt.Add.Scatter(hours, [.. series.Select(p => (double)p.AtRisk)]);
        r.LegendText = "accounts at risk (right axis)";
        r.MarkerSize = 0;
        r.Color = Colors.Gray.WithAlpha(0.6);
        r.Axes.YAxis = plt.Axes.Right;
        plt.Axes.Right.Label.Text = "accounts at risk";
        plt.Title(title);
        plt.XLabel("simulated hours");
        plt.YLabel("M USD");
        plt.ShowLegend(Alignment.UpperLeft);
        return plt.GetSvgHtml(Width, Height);
    }

    /// <summary>
    /// Loss exceedance on log–log axes: for each bad-debt level x (USD), the share of paths whose bad debt is at
    /// least x, with the 95% and 99% VaR marked. Null when no path had bad debt (nothing to put on a log axis).
    /// </summary>
    public static string? TailExceedance(IReadOnlyList<double> badDebt, Tail tail)
    {
        double[] pos = [.. badDebt.Where(x => x > Exhaustion.ToleranceUsd).Order()];
        if (pos.Length == 0)
        {
            return null;
        }

        int n = badDebt.Count;
        // The i-th smallest positive value is reached or exceeded by (pos.Length − i) of n paths.
        double[] xs = [.. pos.Select(Math.Log10)];
        double[] ys = [.. pos.Select((_, i) => Math.Log10((pos.Length - i) / (double)n))];
        var plt = new Plot();
        var s = plt.Add.Scatter(xs, ys);
        s.LegendText = "share of paths with bad debt ≥ x";
        s.ConnectStyle = ConnectStyle.StepVertical;
        s.MarkerSize = 4;
        foreach ((double v, string label, Color color) in new[] { (tail.Var95, "95% VaR", Colors.Orange), (tail.Var99, "99% VaR", Colors.Red) })
        {
            if (v > 0)
            {
                var l = plt.Add.VerticalLine(Math.Log10(v));
                l.LegendText = $"{label} ({Fmt.Usd(v)})";
                l.Color = color;
            }
        }

        int lo = (int)Math.Floor(xs[0]), hi = (int)Math.Ceiling(xs[^1]);
        hi = Math.Max(hi, lo + 1);
        double[] xt = [.. Enumerable.Range(lo, hi - lo + 1).Select(k => (double)k)];
        plt.Axes.Bottom.SetTicks(xt, [.. xt.Select(k => Fmt.Compact(Math.Pow(10, k)))]);
        int ylo = (int)Math.Floor(Math.Log10(1.0 / n));
        double[] yt = [.. Enumerable.Range(ylo, -ylo + 1).Select(k => (double)k)];
        plt.Axes.Left.SetTicks(yt, [.. yt.Select(k => Fmt.Pct(Math.Pow(10, k)))]);
        plt.Axes.SetLimits(lo, hi, ylo, 0.1);
        plt.Title($"Bad-debt tail over {n} paths (log–log)");
        plt.XLabel("bad debt x (USD, log scale)");
        plt.YLabel("paths with bad debt ≥ x (log scale)");
        plt.ShowLegend(Alignment.LowerLeft);
        return plt.GetSvgHtml(Width, Height);
    }

    /// <summary>Share of paths whose funds are exhausted at or below each stress: the empirical curve of per-path thresholds.</summary>
    public static string ThresholdCurve(ThresholdResult r)
    {
        double[] t = [.. r.PerPath.Order()];
        bool shock = r.Kind == "shock";
        double Scale(double x) => shock ? x * 100 : x;
        var xs = new List<double> { 0 };
        var ys = new List<double> { 0 };
        for (int i = 0; i < t.Length; i++)
        {
            bool censored = t[i] >= r.Ceiling && r.Censored > 0 && i >= t.Length - r.Censored;
            if (censored)
            {
                break;
            }

            xs.Add(Scale(t[i]));
            ys.Add((i + 1) * 100.0 / t.Length);
        }

        xs.Add(Scale(r.Ceiling));
        ys.Add(ys[^1]);
        var plt = new Plot();
        var s = plt.Add.Scatter(xs.ToArray(), ys.ToArray());
        s.ConnectStyle = ConnectStyle.StepHorizontal;
        s.MarkerSize = 0;
        s.LegendText = "paths whose funds are exhausted";
        var med = plt.Add.VerticalLine(Scale(r.Threshold));
        med.LegendText = $"median threshold {(shock ? Fmt.Pct(r.Threshold) : Fmt.Num(r.Threshold) + "×")}";
        med.Color = Colors.Red;
        var band = plt.Add.VerticalSpan(Scale(r.CiLow), Scale(r.CiHigh));
        band.LegendText = "95% CI of the median";
        band.FillStyle.Color = band.FillStyle.Color.WithAlpha(0.2);
        plt.Axes.SetLimits(0, Scale(r.Ceiling), 0, 105);
        plt.Title(shock ? "Insurance-exhausting instantaneous shock" : "Insurance-exhausting volatility multiplier");
        plt.XLabel(shock ? "shock (% drop of every volatile asset)" : "volatility multiplier (× every log-return)");
        plt.YLabel("% of paths exhausted");
        plt.ShowLegend(Alignment.LowerRight);
        return plt.GetSvgHtml(Width, Height);
    }

    /// <summary>A sweep: shock threshold (median and 95% CI, %) and 99% VaR of bad debt (% of book) against the parameter.</summary>
    public static string Sweep(SweepResult sweep)
    {
        var plt = new Plot();
        double[] xs = [.. sweep.Points.Select(p => p.Value)];
        var t = plt.Add.Scatter(xs, [.. sweep.Points.Select(p => p.Threshold.Threshold * 100)]);
        t.LegendText = "shock threshold, median (%)";
        var lo = plt.Add.Scatter(xs, [.. sweep.Points.Select(p => p.Threshold.CiLow * 100)]);
        lo.LegendText = "95% CI (%)";
        lo.Color = Colors.Gray;
        lo.MarkerSize = 0;
        var hi = plt.Add.Scatter(xs, [.. sweep.Points.Select(p => p.Threshold.CiHigh * 100)]);
        hi.MarkerSize = 0;
        hi.Color = lo.Color;
        if (sweep.Points.All(p => p.Risk is not null))
        {
            var v = plt.Add.Scatter(xs, [.. sweep.Points.Select(p => p.Risk!.BadDebt.ShareOfBook.Var99 * 100)]);
            v.LegendText = "99% VaR of bad debt (% of book, right axis)";
            v.Axes.YAxis = plt.Axes.Right;
            v.Color = Colors.Red;
            plt.Axes.Right.Label.Text = "% of book";
        }

        plt.Title($"Shock threshold and bad-debt VaR vs {sweep.Param}");
        plt.XLabel(sweep.Param);
        plt.YLabel("shock (%)");
        plt.ShowLegend(Alignment.UpperLeft);
        return plt.GetSvgHtml(Width, Height);
    }
}
