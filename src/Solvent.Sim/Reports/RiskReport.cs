using System.Net;
using System.Text;
using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>
/// report.html as a risk report: one self-contained file (inline CSS and SVG, no script, no network) with an
/// executive summary written from the figures, VaR/CVaR and liquidations-at-risk tables by asset and market,
/// losses beyond the funds with their cause, what broke first, the bad-debt tail on log axes, the worst and the
/// 99%-VaR paths, threshold curves and a parameter recommendation when those outputs are present.
/// </summary>
internal static partial class RiskReport
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}" +
        "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}" +
        "thead th{background:#f0f0f0}tbody th{text-align:left;font-weight:normal}section{margin-bottom:2em}" +
        "figure{margin:1em 0}figure svg{max-width:100%;height:auto}p.note{color:#555;font-size:.9em}#summary li{margin:.3em 0}";

    /// <summary>The HTML document.</summary>
    public static string Html(string title, StressRun? run, IReadOnlyList<ThresholdResult> thresholds, IReadOnlyList<SweepResult> sweeps)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        sb.Append("<h1>Stress report: ").Append(E(title)).Append("</h1>");
        sb.Append("<section id=\"summary\"><h2>Executive summary</h2><ul>");
        foreach (string sentence in ExecutiveSummary.Of(run?.Summary, thresholds, sweeps))
        {
            sb.Append("<li>").Append(E(sentence)).Append("</li>");
        }

        sb.Append("</ul></section>");
        if (run is not null)
        {
            RunSections(sb, run);
        }

        if (thresholds.Count > 0)
        {
            ThresholdSection(sb, thresholds);
        }

        foreach (SweepResult sw in sweeps)
        {
            SweepSection(sb, sw);
        }

        sb.Append("<section id=\"method\"><h2>Method and units</h2><p>").Append(E(Tail.Method)).Append(".</p><p>Units: ").Append(E(RiskSummary.UnitsText)).Append(".</p>");
        sb.Append("<p>Bad debt is debt written off by the engine, perp backstop shortfalls, and the negative equity of accounts still underwater at the end, spread over what each such account owes. ")
          .Append("The funds are exhausted on a path when every insurance fund at the end, minus the bad debt no fund paid, is below zero; the share is counted over distinct price paths with a Wilson score 95% interval. ")
          .Append("Thresholds are the median over paths of the per-path bisected stress with a binomial order-statistic 95% interval.</p></section>");
        sb.Append("</body></html>");
        return StableIds(sb.ToString());
    }

    /// <summary>
    /// The chart library numbers SVG clip paths from a process-wide counter, so the same report rendered twice
    /// would differ; renumbering them in order of appearance keeps them unique in the page and the bytes stable.
    /// </summary>
    private static string StableIds(string html)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(html, m =>
        {
            if (!ids.TryGetValue(m.Value, out string? id))
            {
                id = "clip" + ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                ids[m.Value] = id;
            }

            return id;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=id=""|url\(#)cl_[0-9a-fA-F]+")]
    private static partial System.Text.RegularExpressions.Regex ClipId();

    private static void RunSections(StringBuilder sb, StressRun run)
    {
        StressSummary m = run.Summary;
        RiskSummary r = m.Risk;
        sb.Append("<section id=\"tail\"><h2>Tail risk</h2><p class=\"note\">Over ").Append(m.Paths).Append(" paths. USD, and in brackets the share of the book named in each row.</p>");
        var total = new HtmlTable("tail-total", "figure (book: " + Fmt.Usd(r.BookUsd) + ")", "mean", "95% VaR", "95% CVaR", "99% VaR", "99% CVaR", "worst");
        TailRow(total, "bad debt", r.BadDebt);
        TailRow(total, "liquidations at risk (value liquidated)", r.LiquidationsAtRisk);
        TailRow(total, "socialized over lending suppliers", r.SocializedUsd);
        TailRow(total, "absorbed by ADL", r.AdlLossUsd);
        total.WriteTo(sb);

        sb.Append("<h3>By lending asset</h3><p class=\"note\">Bad debt is booked on the borrowed asset and divided by its debt at the start; liquidations at risk are the value of the asset seized as collateral, divided by its supply at the start.</p>");
        var assets = new HtmlTable("tail-assets", "asset", "debt (USD)", "bad debt 95% VaR", "99% VaR", "99% CVaR", "supply (USD)", "LaR 95%", "LaR 99%", "insurance paid, worst (USD)", "paths with bad debt");
        foreach (AssetRisk a in r.Assets)
        {
            assets.Row(
                $"{a.Venue}/{a.Asset}", Fmt.Compact(a.DebtUsd), Cell(a.BadDebt, t => t.Var95), Cell(a.BadDebt, t => t.Var99), Cell(a.BadDebt, t => t.CVar99),
                Fmt.Compact(a.CollateralUsd), Cell(a.LiquidationsAtRisk, t => t.Var95), Cell(a.LiquidationsAtRisk, t => t.Var99), Fmt.Compact(a.InsurancePaidUsd.Max), a.PathsWithBadDebt.ToString());
        }

        assets.WriteTo(sb);
        bool amm = r.Markets.Any(k => k.AmmInventoryPnlUsd.Min != 0 || k.AmmInventoryPnlUsd.Max != 0 || k.FundingPaidUsd.Min != 0 || k.FundingPaidUsd.Max != 0);
        sb.Append("<h3>By perp market</h3><p class=\"note\">Bad debt is backstop shortfalls plus the market's share of underwater equity; everything is divided by the market's open interest at the start.</p>");
        var markets = new HtmlTable("tail-markets", amm
            ? ["market", "open interest (USD)", "bad debt 95% VaR", "99% VaR", "99% CVaR", "LaR 95%", "LaR 99%", "insurance paid, worst (USD)", "paths with ADL", "AMM inventory PnL, mean (USD)", "funding paid, mean (USD)"]
            : ["market", "open interest (USD)", "bad debt 95% VaR", "99% VaR", "99% CVaR", "LaR 95%", "LaR 99%", "insurance paid, worst (USD)", "paths with ADL"]);
        foreach (MarketRisk k in r.Markets)
        {
            string[] cells =
            [
                $"{k.Venue}/{k.Market}", Fmt.Compact(k.OpenInterestUsd), Cell(k.BadDebt, t => t.Var95), Cell(k.BadDebt, t => t.Var99), Cell(k.BadDebt, t => t.CVar99),
                Cell(k.LiquidationsAtRisk, t => t.Var95), Cell(k.LiquidationsAtRisk, t => t.Var99), Fmt.Compact(k.InsurancePaidUsd.Max), k.PathsWithAdl.ToString(),
            ];
            markets.Row(amm ? [.. cells, Fmt.Compact(k.AmmInventoryPnlUsd.Mean), Fmt.Compact(k.FundingPaidUsd.Mean)] : cells);
        }

        markets.WriteTo(sb);
        if (!amm)
        {
            sb.Append("<p class=\"note\">AMM inventory PnL and funding per market are not modelled in this run (all zero in summary.json).</p>");
        }

        sb.Append("</section><section id=\"losses\"><h2>Losses beyond the funds</h2>");
        ShareInterval x = m.Exhausted;
        var ex = new HtmlTable("exhaustion", "test", "distinct price paths", "exhausted", "share", "Wilson 95% CI", "lowest net fund (USD)");
        ex.Row("funds net of unpaid bad debt < 0", Fmt.Int(x.Observations), Fmt.Num(Math.Round(x.Hits, 3)), Fmt.Pct(x.Share), $"{Fmt.Pct(x.Low95)}–{Fmt.Pct(x.High95)}", Fmt.Compact(m.NetFundWorstUsd));
        ex.WriteTo(sb);
        var causes = new HtmlTable("causes", "where", "kind", "paths", "worst (USD)", "cause");
        foreach (AssetRisk a in r.Assets.Where(a => a.PathsWithSocializedLoss > 0))
        {
            causes.Row($"{a.Venue}/{a.Asset}", "socialized over suppliers", a.PathsWithSocializedLoss.ToString(), Fmt.Compact(a.SocializedUsd.Usd.Max), a.Cause ?? "");
        }

        foreach (MarketRisk k in r.Markets.Where(k => k.PathsWithAdl > 0))
        {
            causes.Row($"{k.Venue}/{k.Market}", "auto-deleveraging", k.PathsWithAdl.ToString(), Fmt.Compact(k.AdlLossUsd.Usd.Max), k.Cause ?? "");
        }

        if (causes.Count > 0)
        {
            causes.WriteTo(sb);
        }
        else
        {
            sb.Append("<p>No loss was socialized and no position was auto-deleveraged on any path.</p>");
        }

        sb.Append("<h3>What broke first</h3>");
        if (r.FirstLoss.Paths > 0)
        {
            var first = new HtmlTable("first-loss", "segment with a path's first bad debt", "paths", "share of paths with bad debt");
            foreach (SegmentCount c in r.FirstLoss.Segments)
            {
                first.Row(c.Segment, c.Paths.ToString(), Fmt.Pct(c.Paths / (double)r.FirstLoss.Paths));
            }

            first.WriteTo(sb);
            sb.Append("<p>Median fall of the worst asset from its start when the first bad debt happened: ").Append(E(Fmt.Pct(r.FirstLoss.MedianMove)))
              .Append(" (smallest ").Append(E(Fmt.Pct(r.FirstLoss.SmallestMove))).Append("), median time ").Append(E(Fmt.Hours(r.FirstLoss.MedianSeconds))).Append(".</p>");
        }
        else
        {
            sb.Append("<p>No path had bad debt.</p>");
        }

        sb.Append("</section><section id=\"charts\"><h2>Charts</h2>");
        string? tail = Charts.TailExceedance([.. run.Outcomes.Select(o => o.BadDebtUsd)], r.BadDebt.Usd);
        Figure(sb, "chart-tail", tail, "Loss exceedance: the share of paths whose bad debt reaches each level, log–log.", "No path had bad debt, so there is no tail to draw.");
        var shown = new List<int>();
        foreach ((int path, string what) in new[] { (r.WorstPath, "worst path"), (r.Var99Path, "99% VaR path"), (r.Var95Path, "95% VaR path") })
        {
            if (path < 0 || shown.Contains(path) || run.SeriesOf(path) is not { Count: > 1 } series)
            {
                continue;
            }

            string names = string.Join(" and ", new[] { (r.WorstPath, "worst"), (r.Var99Path, "99% VaR"), (r.Var95Path, "95% VaR") }.Where(p => p.Item1 == path).Select(p => p.Item2));
            shown.Add(path);
            string label = $"path {path} ({names}; bad debt {Fmt.Usd(run.Outcomes[path].BadDebtUsd)})";
            Figure(sb, $"chart-cascade-{shown.Count}", Charts.Cascade(series, "Cascade, " + label), $"Liquidations, bad debt, insurance funds, ADL and accounts at risk over time on the {what}.", null);
            Figure(sb, $"chart-price-{shown.Count}", Charts.PriceVsOracle(series, run.Symbols, "Market vs oracle, " + label), $"Pool (market) price against the oracle's answer on the {what}, relative to the start.", null);
        }

        sb.Append("</section>");
    }

    private static void ThresholdSection(StringBuilder sb, IReadOnlyList<ThresholdResult> thresholds)
    {
        sb.Append("<section id=\"thresholds\"><h2>Threshold curves</h2>");
        var t = new HtmlTable("threshold-table", "stress", "median threshold", "95% CI", "paths", "censored at the ceiling");
        foreach (ThresholdResult r in thresholds)
        {
            bool shock = r.Kind == "shock";
            string F(double v) => shock ? Fmt.Pct(v) : Fmt.Num(v) + "×";
            t.Row(shock ? "instantaneous shock (% drop)" : "volatility multiplier (× log-returns)", F(r.Threshold), $"{F(r.CiLow)}–{F(r.CiHigh)}", r.Paths.ToString(), $"{r.Censored} (at {F(r.Ceiling)})");
        }

        t.WriteTo(sb);
        foreach (ThresholdResult r in thresholds)
        {
            Figure(sb, $"chart-threshold-{r.Kind}", Charts.ThresholdCurve(r), $"Share of paths whose funds are exhausted at or below each {r.Kind}, from the per-path bisected thresholds.", null);
        }

        sb.Append("</section>");
    }

    private static void SweepSection(StringBuilder sb, SweepResult sw)
    {
        sb.Append("<section class=\"sweep\" id=\"sweep-").Append(E(sw.Param)).Append("\"><h2>Sweep of ").Append(E(sw.Param)).Append("</h2>");
        var t = new HtmlTable($"sweep-table-{sw.Param}", sw.Param, "shock threshold (median)", "95% CI", "bad debt 99% VaR (USD)", "99% VaR (% of book)", "paths exhausted");
        foreach (SweepPoint p in sw.Points)
        {
            t.Row(Fmt.Num(p.Value), Fmt.Pct(p.Threshold.Threshold), $"{Fmt.Pct(p.Threshold.CiLow)}–{Fmt.Pct(p.Threshold.CiHigh)}", Fmt.Compact(p.BadDebtUsd.Var99),
                p.Risk is { } r ? Fmt.Pct(r.BadDebt.ShareOfBook.Var99) : "—", Fmt.Pct(p.ExhaustedShare));
        }

        t.WriteTo(sb);
        IReadOnlyList<Recommendation> rec = Recommendations.For(sw);
        if (rec.Count > 0)
        {
            sb.Append("<h3>Recommendation</h3><p>Target: ").Append(E(Recommendations.Target)).Append(". The least demanding swept value that meets it, per segment")
              .Append(sw.Param == "keeperLatency" ? " (the longest latency)" : " (the smallest value)").Append(".</p>");
            string[] head = ["segment", "book (USD)", "recommended " + sw.Param, .. sw.Points.Select(p => $"99% VaR at {Fmt.Num(p.Value)}")];
            var rt = new HtmlTable($"recommendation-{sw.Param}", head);
            foreach (Recommendation r in rec)
            {
                rt.Row([r.Segment, Fmt.Compact(r.BookUsd), r.Value is { } v ? Fmt.Num(v) : "none of the values tried", .. r.Var99ShareByValue.Select(Fmt.Pct)]);
            }

            rt.WriteTo(sb);
        }

        Figure(sb, $"chart-sweep-{sw.Param}", Charts.Sweep(sw), $"Shock threshold and bad-debt VaR against {sw.Param}.", null);
        sb.Append("</section>");
    }

    private static void TailRow(HtmlTable t, string name, TailRisk r) =>
        t.Row(name, Cell(r, x => x.Mean), Cell(r, x => x.Var95), Cell(r, x => x.CVar95), Cell(r, x => x.Var99), Cell(r, x => x.CVar99), Cell(r, x => x.Max));

    private static string Cell(TailRisk r, Func<Tail, double> pick) => $"{Fmt.Compact(pick(r.Usd))} ({Fmt.Pct(pick(r.ShareOfBook))})";

    private static void Figure(StringBuilder sb, string id, string? svg, string caption, string? missing)
    {
        if (svg is null)
        {
            sb.Append("<p id=\"").Append(id).Append("\">").Append(E(missing ?? "")).Append("</p>");
            return;
        }

        sb.Append("<figure id=\"").Append(id).Append("\">").Append(svg).Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
