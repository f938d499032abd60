using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

public class KeeperAndLiquidityTests
{
    private const string Ramp30 = """{ "model": "ramp", "rampMove": -0.3 }""";
    private const string Instant = """{ "updateIntervalSeconds": 60, "lagSeconds": 0, "deviationThreshold": 0, "heartbeatSeconds": 60 }""";

    private static Scenario Mmf5(string keepers, string prices = Ramp30, double perpShare = 0.2)
    {
        Scenario s = SimScenarios.Parse(SimScenarios.Json(prices, keepers, step: 60, duration: 86_400, oracle: Instant, perpShare: perpShare));
        s = ScenarioOverrides.Apply(s, "liquidationPenalty", 0.05);
        return ScenarioOverrides.Apply(s, "maintenanceMargin", 0.05);
    }

    [Fact]
    public void Infinite_liquidity_and_zero_latency_leave_no_bad_debt_after_a_30pct_fall_at_mmf_5pct()
    {
        Scenario s = Mmf5("""{ "count": 2, "latencySeconds": 0, "capitalUsd": 1e12, "minProfitUsd": -1e9, "gasUsd": 0 }""");
        StressRun run = StressRunner.Run(s);
        StressSummary r = run.Summary;
        Assert.True(r.Liquidations.Mean > 0, "the fall must liquidate someone, or the test proves nothing");
        Assert.True(r.BadDebtUsd.Max == 0, Reports.SummaryJson.Serialize(r with { PathResults = [] }));
    }

    [Fact]
    public void The_same_fall_with_slow_keepers_does_leave_bad_debt()
    {
        // Control for the test above: the set-up is capable of producing bad debt.
        Scenario s = Mmf5("""{ "count": 2, "latencySeconds": 20000, "capitalUsd": 1e12, "minProfitUsd": -1e9, "gasUsd": 0 }""");
        Assert.True(StressRunner.Run(s).Summary.BadDebtUsd.Max > 0);
    }

    [Fact]
    public void The_index_agrees_with_the_exact_scan_at_every_tick_of_a_cascade()
    {
        Scenario s = Mmf5("""{ "count": 2, "latencySeconds": 120, "capitalUsd": 1e12, "minProfitUsd": 0, "gasUsd": 1 }""");
        PathOutcome o = PathRunner.Run(new Prepared(s), 0, 3, 0.1, 1, false, verifyIndex: true);
        Assert.True(o.Liquidations > 0);
    }

    [Fact]
    public void Keepers_do_not_act_when_gas_eats_the_profit()
    {
        // Lending only: perpetual backstops are the venue's service and run regardless of profit.
        Scenario s = Mmf5("""{ "count": 2, "latencySeconds": 0, "capitalUsd": 1e12, "minProfitUsd": 0, "gasUsd": 1e6 }""", perpShare: 0);
        StressRun r = StressRunner.Run(s);
        Assert.Equal(0, r.Summary.Liquidations.Max);
        Assert.True(r.Outcomes[0].KeeperSkips > 0);
        Assert.True(r.Summary.BadDebtUsd.Max > 0, "unliquidated accounts end underwater");
    }

    private static double BadDebt(Scenario s) => StressRunner.Run(s).Summary.BadDebtUsd.Mean;

    private static Scenario Falling(string keepers, double depth) => SimScenarios.Parse(SimScenarios.Json(
        """{ "model": "ramp", "rampMove": -0.45 }""", keepers,
        liquidity: $$"""{ "recoveryHalfLifeSeconds": 3600, "pools": { "ETH": { "depthUsd": {{depth}} }, "WBTC": { "depthUsd": {{depth}} }, "SOL": { "depthUsd": {{depth}} } } }"""));

    [Fact]
    public void Bad_debt_grows_monotonically_with_keeper_latency()
    {
        Scenario s = Falling("""{ "count": 3, "latencySeconds": 60, "capitalUsd": 1e9, "minProfitUsd": 1, "gasUsd": 1 }""", 5e7);
        double[] bad = [.. new[] { 0.0, 1800, 3600, 7200, 14400 }.Select(l => BadDebt(ScenarioOverrides.Apply(s, "keeperLatency", l)))];
        for (int i = 1; i < bad.Length; i++)
        {
            Assert.True(bad[i] >= bad[i - 1], $"latency step {i}: {bad[i]} < {bad[i - 1]} ({string.Join(", ", bad)})");
        }

        Assert.True(bad[^1] > bad[0], string.Join(", ", bad));
    }

    [Fact]
    public void Bad_debt_grows_monotonically_as_pools_get_shallower()
    {
        Scenario s = Falling("""{ "count": 3, "latencySeconds": 60, "capitalUsd": 1e9, "minProfitUsd": 1, "gasUsd": 1 }""", 5e7);
        double[] bad = [.. new[] { 100.0, 1, 0.1, 0.02, 0.005 }.Select(f => BadDebt(ScenarioOverrides.Apply(s, "poolDepth", f)))];
        for (int i = 1; i < bad.Length; i++)
        {
            Assert.True(bad[i] >= bad[i - 1], $"depth step {i}: {bad[i]} < {bad[i - 1]} ({string.Join(", ", bad)})");
        }

        Assert.True(bad[^1] > bad[0], string.Join(", ", bad));
    }
}
