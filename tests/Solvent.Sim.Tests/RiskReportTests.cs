using System.Diagnostics;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;

namespace Solvent.Sim.Tests;

/// <summary>report.html: one self-contained, deterministic file with every section, threshold and sweep outputs folded in, and the recommendation rule.</summary>
public sealed class RiskReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "solvent-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private static StressRun SmallRun(int paths = 12) => StressRunner.Run(SimScenarios.Parse(SimScenarios.Json(
        """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.5 }, { "symbol": "WBTC", "sigma": 1.0 } ], "shock": 0.4, "shockAtSeconds": 3600 }""",
        """{ "count": 1, "latencySeconds": 900, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""", accounts: 150, paths: paths, perpShare: 0.4, duration: 7200)));

    [Fact]
    public void The_report_is_one_self_contained_file_with_every_section_and_is_the_same_bytes_twice()
    {
        StressRun run = SmallRun();
        StressReport.WriteRun(_dir, run);
        string html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        foreach (string id in new[] { "summary", "tail", "tail-total", "tail-assets", "tail-markets", "exhaustion", "losses", "charts", "chart-tail", "chart-cascade-1", "method" })
        {
            Assert.Contains($"id=\"{id}\"", html);
        }

        Assert.DoesNotContain("<pre>", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(".png\"", html);
        Assert.True(html.Split("<svg").Length - 1 >= 3, "the tail chart and at least one path's two charts are inline SVG");
        Assert.Contains("Wilson 95% CI", html);
        Assert.Contains("99% VaR", html);
        Assert.False(File.Exists(Path.Combine(_dir, "cascade.png")));

        // The charted paths are the worst and VaR paths, not path 0, and re-running one reproduces it.
        RiskSummary r = run.Summary.Risk;
        Assert.Contains($"path {r.WorstPath} (worst", html);
        Assert.Equal(run.Outcomes.Max(o => o.BadDebtUsd), run.Outcomes[r.WorstPath].BadDebtUsd);

        string again = Path.Combine(_dir, "again");
        StressReport.WriteRun(again, SmallRun());
        Assert.Equal(html, File.ReadAllText(Path.Combine(again, "report.html")));
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "summary.json")), File.ReadAllText(Path.Combine(again, "summary.json")));
    }

    [Fact]
    public void Threshold_and_sweep_outputs_in_the_folder_join_the_run_report()
    {
        StressRun run = SmallRun(4);
        var threshold = new ThresholdResult("test", "shock", 0.2, 0.15, 0.3, 4, 1, 0.95, [0.15, 0.2, 0.3, 0.95]);
        StressReport.WriteThreshold(_dir, "test", [threshold]);
        var sweep = new SweepResult("test", "maintenanceMargin",
        [
            new SweepPoint(0.05, threshold, Stats.Of([1, 2]), 0.5, run.Summary.Risk),
            new SweepPoint(0.1, threshold with { Threshold = 0.3 }, Stats.Of([0, 0]), 0, run.Summary.Risk with { BadDebt = new TailRisk(Tail.Zero, Tail.Zero) }),
        ]);
        StressReport.WriteSweep(_dir, sweep);
        StressReport.WriteRun(_dir, run);
        string html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.Contains("id=\"thresholds\"", html);
        Assert.Contains("id=\"chart-threshold-shock\"", html);
        Assert.Contains("id=\"sweep-maintenanceMargin\"", html);
        Assert.Contains("id=\"recommendation-maintenanceMargin\"", html);
        Assert.Contains("half the paths exhaust the insurance funds at 20.0%", html);

        // The sweep file reads back whole (the report depends on it).
        Assert.True(File.Exists(Path.Combine(_dir, "sweep-maintenanceMargin.json")));
        Assert.True(File.Exists(Path.Combine(_dir, StressReport.ThresholdFile)));
    }

    [Fact]
    public void The_recommendation_is_the_least_demanding_value_meeting_the_target_per_segment()
    {
        // USDC debt 10M: bad debt 200k (2%) at mm 0.05, 100k (1%) at 0.1, 0 at 0.2 → 0.1 (exactly at the target).
        // ETH-PERP OI 4M: 400k (10%) / 80k (2%) / 40k (1%) → 0.2. Whole book 14M: 600k (4.3%) / 180k (1.3%) / 40k (0.29%) → 0.2.
        RiskSummary At(double usdc, double perp) => RiskSummary.Of([TailMetricsTests.Outcome(0, usdc, perp, 0)]);
        ThresholdResult t = new("test", "shock", 0.2, 0.1, 0.3, 1, 0, 0.95, [0.2]);
        var sweep = new SweepResult("test", "maintenanceMargin",
        [
            new SweepPoint(0.2, t, Stats.Of([0]), 0, At(0, 40_000)),
            new SweepPoint(0.05, t, Stats.Of([0]), 0, At(200_000, 400_000)),
            new SweepPoint(0.1, t, Stats.Of([0]), 0, At(100_000, 80_000)),
        ]);
        IReadOnlyList<Recommendation> rec = Recommendations.For(sweep);
        Assert.Equal(["all", "v/USDC", "v/ETH-PERP"], rec.Select(r => r.Segment));
        Assert.Equal(0.2, rec[0].Value);
        Assert.Equal(0.1, rec[1].Value);
        Assert.Equal(0.2, rec[2].Value);
        Assert.Equal(0.02, rec[1].Var99ShareByValue[1], 9);

        // Keeper latency: the longest latency that still meets the target (USDC meets it at 0.1 and 0.2); none when no value does.
        var latency = sweep with { Param = "keeperLatency" };
        Assert.Equal(0.2, Recommendations.For(latency)[1].Value);
        Assert.Null(Recommendations.For(latency with { Points = [sweep.Points[1], sweep.Points[2]] })[2].Value);
        var none = sweep with { Points = [sweep.Points[1]] };
        Assert.All(Recommendations.For(none), r => Assert.Null(r.Value));
        Assert.Empty(Recommendations.For(sweep with { Points = [sweep.Points[0] with { Risk = null }] }));
    }

    [Fact]
    public void The_summary_says_what_broke_first_and_how_sure_it_is()
    {
        StressSummary s = SmallRun().Summary;
        IReadOnlyList<string> text = ExecutiveSummary.Of(s, [], []);
        Assert.Contains(text, x => x.Contains("Wilson 95% CI", StringComparison.Ordinal));
        Assert.Contains(text, x => x.Contains("run 1,000 or more paths", StringComparison.Ordinal));
        if (s.Risk.FirstLoss.Paths > 0)
        {
            Assert.Contains(text, x => x.Contains($"{s.Risk.FirstLoss.Segments[0].Segment} breaks first", StringComparison.Ordinal));
            Assert.Contains(text, x => x.Contains(Fmt.Usd(s.Risk.BadDebt.Usd.Var99), StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(text, x => x.StartsWith("No path left bad debt", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_thousand_path_report_is_written_quickly()
    {
        // 1,000 paths of a small book: what is timed is the report (tables, tail chart, two re-run paths' charts).
        StressRun run = StressRunner.Run(SimScenarios.Parse(SimScenarios.Json(
            """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 2.0 } ], "shock": 0.35, "shockAtSeconds": 600 }""",
            """{ "count": 1, "latencySeconds": 600, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""", accounts: 20, paths: 1000, duration: 1800)));
        StressReport.WriteRun(Path.Combine(_dir, "warm"), SmallRun(2)); // first-use JIT of the chart library is not the report's cost
        var sw = Stopwatch.StartNew();
        StressReport.WriteRun(_dir, run);
        sw.Stop();
        Console.WriteLine($"[table] report of 1,000 paths written in {sw.Elapsed.TotalSeconds:F2} s");
        Assert.True(sw.Elapsed.TotalSeconds < 5, $"report took {sw.Elapsed.TotalSeconds:F2} s (target 2 s on an idle machine)");
    }
}
