using CsCheck;
using Solvent.Sim.Running;

namespace Solvent.Sim.Tests;

/// <summary>VaR (nearest rank), CVaR (Acerbi–Tasche), per-segment attribution and book normalisation, against hand-computed cases.</summary>
public class TailMetricsTests
{
    [Fact]
    public void Hundred_paths_give_the_95th_and_99th_values_and_the_means_beyond_them()
    {
        // 1..100 shuffled: VaR95 = 95th smallest = 95, CVaR95 = mean(96..100) = 98; VaR99 = 99, CVaR99 = 100.
        double[] v = [.. Enumerable.Range(1, 100).Select(i => (double)((i * 37 % 100) + 1))];
        Tail t = Tail.Of(v);
        Assert.Equal(new Tail(50.5, 95, 98, 99, 100, 100), t);
    }

    [Fact]
    public void A_fractional_tail_weights_the_boundary_path()
    {
        // n = 30, q = 0.95: k = 1.5; VaR = 29th smallest = 29; CVaR = (30 + 0.5 × 29) / 1.5 = 29.6667.
        // q = 0.99: k = 0.3 < 1, so VaR = CVaR = the worst path.
        Tail t = Tail.Of(Enumerable.Range(1, 30).Select(i => (double)i));
        Assert.Equal(29, t.Var95);
        Assert.Equal(29.6667, t.CVar95);
        Assert.Equal(30, t.Var99);
        Assert.Equal(30, t.CVar99);
    }

    [Fact]
    public void Forty_paths_with_two_bad_ones()
    {
        // 38 clean paths, one 1M and one 3M: k95 = 2 → VaR95 = 38th smallest = 0, CVaR95 = (1M + 3M) / 2 = 2M;
        // k99 = 0.4 → VaR99 = CVaR99 = 3M. Normalised by a 200M book: 1% and 1.5%.
        double[] v = [.. Enumerable.Repeat(0.0, 38), 3_000_000, 1_000_000];
        Tail t = Tail.Of(v);
        Assert.Equal(0, t.Var95);
        Assert.Equal(2_000_000, t.CVar95);
        Assert.Equal(3_000_000, t.Var99);
        Tail share = t.Per(200_000_000);
        Assert.Equal(0.01, share.CVar95);
        Assert.Equal(0.015, share.Var99);
        Assert.Equal(Tail.Zero, t.Per(0));
    }

    [Fact]
    public void Tails_are_ordered_for_any_sample()
    {
        Gen.Double[-1e9, 1e9].Array[1, 400].Sample(v =>
        {
            Tail t = Tail.Of(v);
            double tol = 1e-3 + (1e-9 * Math.Abs(t.Max));
            return t.Var95 <= t.CVar95 + tol && t.Var99 <= t.CVar99 + tol && t.Var95 <= t.Var99 + tol
                && t.CVar95 <= t.CVar99 + tol && t.CVar99 <= t.Max + tol && t.Mean <= t.CVar95 + tol;
        });
    }

    [Fact]
    public void The_var_path_is_a_path_that_has_the_var_value()
    {
        double[] bad = [5, 1, 9, 9, 2, 0, 0, 0, 0, 0];
        Assert.Equal(2, RiskSummary.PathAt(bad, 1)); // the first of the two worst
        Assert.Equal(2, RiskSummary.PathAt(bad, 0.95)); // n = 10: rank 10
        Assert.Equal(4, RiskSummary.PathAt(bad, 0.7)); // rank 7 of 0,0,0,0,0,1,2,5,9,9 is 2, path 4
    }

    [Fact]
    public void Segments_aggregate_per_asset_and_market_with_their_own_books()
    {
        // Three paths; USDC debt book 10M, ETH-PERP open interest 4M.
        PathOutcome[] o =
        [
            Outcome(0, usdcBad: 0, perpBad: 0, adl: 0),
            Outcome(1, usdcBad: 200_000, perpBad: 0, adl: 0, socialized: 50_000, insurance: 150_000),
            Outcome(2, usdcBad: 100_000, perpBad: 400_000, adl: 1_000_000, insurance: 20_000, perpFund: 300_000),
        ];
        RiskSummary r = RiskSummary.Of(o);
        AssetRisk usdc = Assert.Single(r.Assets, a => a.Asset == "USDC");
        Assert.Equal(10_000_000, usdc.DebtUsd);
        Assert.Equal(200_000, usdc.BadDebt.Usd.Var99);   // n = 3: the worst path
        Assert.Equal(0.02, usdc.BadDebt.ShareOfBook.Var99);
        Assert.Equal(100_000, usdc.BadDebt.Usd.Mean);
        Assert.Equal(2, usdc.PathsWithBadDebt);
        Assert.Equal(1, usdc.PathsWithSocializedLoss);
        Assert.Contains("50,000 USD was spread over USDC suppliers", usdc.Cause);
        Assert.Contains("the fund paid 150,000 USD", usdc.Cause);

        MarketRisk perp = Assert.Single(r.Markets);
        Assert.Equal(4_000_000, perp.OpenInterestUsd);
        Assert.Equal(0.1, perp.BadDebt.ShareOfBook.Max);
        Assert.Equal(1, perp.PathsWithAdl);
        Assert.Equal(100_000, perp.AdlLossUsd.Usd.Max);
        Assert.Contains("100,000 USD absorbed by the most profitable opposite positions", perp.Cause);
        Assert.Equal(0.25, perp.LiquidationsAtRisk.ShareOfBook.Max); // 1M liquidated of 4M

        Assert.Equal(14_000_000, r.BookUsd);
        Assert.Equal(2, r.WorstPath);
        Assert.Equal(500_000 / 14e6, r.BadDebt.ShareOfBook.Max, 6);
        Assert.Equal(2, r.FirstLoss.Paths);
        Assert.Equal(0.1, r.FirstLoss.SmallestMove); // path 1 (−10%); path 2 broke at −20%
        Assert.Equal(0.1, r.FirstLoss.MedianMove); // nearest rank ⌈0.5 × 2⌉ = the 1st smallest
        Assert.Equal("v/USDC", r.FirstLoss.Segments[0].Segment);
    }

    [Fact]
    public void Segment_figures_add_up_to_the_path_totals_on_a_real_cascade()
    {
        const string gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.5 }, { "symbol": "WBTC", "sigma": 1.0 } ], "shock": 0.45, "shockAtSeconds": 3600 }""";
        const string keepers = """{ "count": 1, "latencySeconds": 900, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""";
        StressRun run = StressRunner.Run(SimScenarios.Parse(SimScenarios.Json(gbm, keepers, accounts: 200, paths: 3, perpShare: 0.4)));
        Assert.Contains(run.Outcomes, x => x.BadDebtUsd > 1000);
        foreach (PathOutcome x in run.Outcomes)
        {
            double tol = 1e-6 * (1 + x.BadDebtUsd + x.LiquidationVolumeUsd);
            Assert.Equal(x.BadDebtUsd, x.Segments.Sum(s => s.Figures.BadDebtUsd), tol);
            Assert.Equal(x.UnrealizedBadDebtUsd, x.Segments.Sum(s => s.Figures.UnderwaterUsd), tol);
            Assert.Equal(x.LiquidationVolumeUsd, x.Segments.Sum(s => s.Figures.LiquidationVolumeUsd), tol);
            Assert.Equal(x.InsuranceUsedUsd, x.Segments.Sum(s => s.Figures.InsurancePaidUsd), tol);
            Assert.Equal(x.SocializedUsd, x.Segments.Sum(s => s.Figures.SocializedUsd), tol);
            Assert.Equal(x.AdlVolumeUsd, x.Segments.Sum(s => s.Figures.AdlVolumeUsd), tol);
            Assert.Equal(x.BookUsd, x.Segments.Sum(s => s.Figures.BookUsd), 1e-6 * x.BookUsd);
            Assert.Equal(x.BadDebtUsd > Exhaustion.ToleranceUsd, x.FirstLoss is not null);
        }

        RiskSummary r = run.Summary.Risk;
        Assert.Equal(run.Summary.BadDebtUsd.Max, r.BadDebt.Usd.Max);
        Assert.Equal(run.Outcomes.Max(x => x.BadDebtUsd), run.Outcomes[r.WorstPath].BadDebtUsd);
        Assert.All(r.Assets, a => Assert.True(a.BadDebt.Usd.Var99 <= a.BadDebt.Usd.CVar99 && a.LiquidationsAtRisk.Usd.Var95 <= a.LiquidationsAtRisk.Usd.Var99));
    }

    [Fact]
    public void Negative_equity_left_underwater_is_spread_over_what_each_account_owes()
    {
        // Keepers that never find a lending liquidation worth it: a 60% gap leaves borrowers underwater at the end.
        const string gap = """{ "model": "flat", "assets": [ { "symbol": "ETH" }, { "symbol": "WBTC" }, { "symbol": "SOL" } ], "shock": 0.6, "shockAtSeconds": 600 }""";
        const string idle = """{ "count": 1, "latencySeconds": 60, "capitalUsd": 1e8, "minProfitUsd": 1e9, "gasUsd": 2 }""";
        PathOutcome x = StressRunner.Run(SimScenarios.Parse(SimScenarios.Json(gap, idle, accounts: 150, perpShare: 0, duration: 1800))).Outcomes[0];
        Assert.True(x.UnrealizedBadDebtUsd > 1000, $"underwater equity {x.UnrealizedBadDebtUsd}");
        Assert.Equal(x.UnrealizedBadDebtUsd, x.Segments.Sum(s => s.Figures.UnderwaterUsd), 1e-6 * x.UnrealizedBadDebtUsd);
        Assert.Equal(x.BadDebtUsd, x.Segments.Sum(s => s.Figures.BadDebtUsd), 1e-6 * x.BadDebtUsd);

        // Borrowers owe USDC and USDT only, so the underwater equity lands on those two, none on collateral assets.
        Assert.All(x.Segments.Where(s => s.Symbol is not ("USDC" or "USDT")), s => Assert.Equal(0, s.Figures.UnderwaterUsd));
        Assert.True(x.Segments.Single(s => s.Symbol == "USDC").Figures.UnderwaterUsd > 0);
        Assert.NotNull(x.FirstLoss);
    }

    internal static PathOutcome Outcome(int path, double usdcBad, double perpBad, double adl, double socialized = 0, double insurance = 0, double perpFund = 0)
    {
        var usdc = new SegmentFigures { BookUsd = 10_000_000, CollateralUsd = 30_000_000, BadDebtUsd = usdcBad, InsurancePaidUsd = insurance, SocializedUsd = socialized };
        var perp = new SegmentFigures
        {
            BookUsd = 4_000_000,
            CollateralUsd = 4_000_000,
            BadDebtUsd = perpBad,
            InsurancePaidUsd = perpFund,
            AdlVolumeUsd = adl,
            AdlLossUsd = Math.Max(0, perpBad - perpFund),
            LiquidationVolumeUsd = adl,
        };
        double bad = usdcBad + perpBad;
        return new PathOutcome(
            path, bad, bad, 0, 0, 0, adl, 1e6, 1e6, insurance + perpFund, 0, adl, socialized, false, 1, 0, 0, 0.8, 0, 0, 0, 0, null)
        {
            BookUsd = 14_000_000,
            Segments = [new PathSegment("v", "USDC", false, usdc), new PathSegment("v", "ETH-PERP", true, perp)],
            FirstLoss = bad > 0 ? new FirstLoss(usdcBad > 0 ? "v/USDC" : "v/ETH-PERP", 3600 * path, 0.1 * path) : null,
        };
    }
}
