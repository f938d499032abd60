using Solvent.Sim.Running;

namespace Solvent.Sim.Tests;

/// <summary>The exhaustion rule (funds net of unpaid bad debt below zero) and its Wilson interval.</summary>
public class ExhaustionTests
{
    [Fact]
    public void A_loss_socialized_in_one_pool_while_other_funds_cover_it_is_not_exhaustion()
    {
        // 2.5M of funds left elsewhere; 300k written off in a pool without a fund (all socialized), 50k still underwater.
        double net = Exhaustion.NetFundUsd(insuranceEndUsd: 2_500_000, realizedBadDebtUsd: 300_000, insuranceUsedUsd: 0, unrealizedBadDebtUsd: 50_000);
        Assert.Equal(2_150_000, net, 6);
        Assert.False(Exhaustion.IsExhausted(net));
    }

    [Fact]
    public void Bad_debt_above_the_funds_is_exhaustion()
    {
        // The fund paid 1M and has 200k left; 400k more was socialized and 100k is still underwater: 200k − 400k − 100k < 0.
        double net = Exhaustion.NetFundUsd(insuranceEndUsd: 200_000, realizedBadDebtUsd: 1_400_000, insuranceUsedUsd: 1_000_000, unrealizedBadDebtUsd: 100_000);
        Assert.Equal(-300_000, net, 6);
        Assert.True(Exhaustion.IsExhausted(net));
        Assert.True(Exhaustion.IsExhausted(Exhaustion.NetFundUsd(0, 0, 0, 1)));
        Assert.False(Exhaustion.IsExhausted(Exhaustion.NetFundUsd(1, 0, 0, 1)));
    }

    [Fact]
    public void Wilson_interval_matches_the_hand_computed_value()
    {
        // 3 of 10, z = 1.96: centre (0.3 + 0.19208) / 1.38416 = 0.355508, half 1.96·√(0.021 + 0.009604) / 1.38416 = 0.247718.
        ShareInterval w = ShareInterval.Wilson(3, 10, 1.96);
        Assert.Equal(0.3, w.Share, 6);
        Assert.Equal(0.107790, w.Low95, 5);
        Assert.Equal(0.603226, w.High95, 5);
    }

    [Fact]
    public void No_hit_is_still_an_interval_and_one_path_is_a_wide_one()
    {
        ShareInterval none = ShareInterval.Wilson(0, 1000, 1.96);
        Assert.Equal(0, none.Low95);
        Assert.Equal(3.8416 / 1003.8416, none.High95, 5);
        ShareInterval one = ShareInterval.Wilson(0, 1, 1.96);
        Assert.Equal(3.8416 / 4.8416, one.High95, 5);
        Assert.Equal(new ShareInterval(0, 0, 0, 0, 1), ShareInterval.Wilson(0, 0));
    }

    [Fact]
    public void Replays_of_one_historical_path_count_as_one_observation()
    {
        using var f = new BadInputFixture();
        StressSummary s = f.Run(paths: 6);
        Assert.Equal(6, s.Paths);
        Assert.Equal(1, s.Exhausted.Observations);
        Assert.True(s.Exhausted.High95 - s.Exhausted.Low95 > 0.7, "one price path cannot give a narrow interval");
    }

    [Fact]
    public void Monte_Carlo_paths_each_count_and_book_normalised_figures_are_reported()
    {
        const string gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.5 }, { "symbol": "WBTC", "sigma": 1.0 } ], "shock": 0.4, "shockAtSeconds": 3600 }""";
        const string keepers = """{ "count": 1, "latencySeconds": 600, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""";
        StressSummary s = StressRunner.Run(SimScenarios.Parse(SimScenarios.Json(gbm, keepers, accounts: 150, paths: 4))).Summary;
        Assert.Equal(4, s.Exhausted.Observations);
        Assert.True(s.BookUsd > 0);
        Assert.True(s.BadDebtUsd.Max > 0, "a 40% gap with slow keepers leaves bad debt");
        Assert.Equal(s.BadDebtUsd.Max / s.BookUsd, s.BadDebtShareOfBook.Max, 3);
        foreach (PathResult r in s.PathResults)
        {
            Assert.Equal(r.NetFundUsd < -Exhaustion.ToleranceUsd, r.Exhausted);
        }

        Assert.Equal(s.PathsWithSocializedLoss, s.PathResults.Count(r => r.SocializedUsd > Exhaustion.ToleranceUsd));
        Assert.Equal(s.PathsWithAdl, s.PathResults.Count(r => r.AdlVolumeUsd > Exhaustion.ToleranceUsd));
        Assert.All(s.SocializedByPool, p => Assert.InRange(p.Paths, 1, s.PathsWithSocializedLoss));
    }
}
