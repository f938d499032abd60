using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>
/// The oracle reads the reference price, not the pools the venue's keepers sell into; keeper outages and gas
/// spikes are scenario knobs.
/// </summary>
public class MarketAndOracleTests
{
    private const string Instant = """{ "updateIntervalSeconds": 60, "lagSeconds": 0, "deviationThreshold": 0, "heartbeatSeconds": 60 }""";
    private const string Keepers = """{ "count": 3, "latencySeconds": 0, "capitalUsd": 1e12, "minProfitUsd": 1, "gasUsd": 1 }""";
    private const string Thin = """{ "recoveryHalfLifeSeconds": 3600, "pools": { "ETH": { "depthUsd": 2e6 }, "WBTC": { "depthUsd": 2e6 }, "SOL": { "depthUsd": 1e6 } } }""";

    private static Scenario Fall(string keepers = Keepers, string liquidity = Thin, double move = -0.35) => SimScenarios.Parse(SimScenarios.Json(
        $$"""{ "model": "ramp", "rampMove": {{move.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }""", keepers, liquidity, accounts: 400, perpShare: 0, step: 60, duration: 6 * 3600, oracle: Instant));

    [Fact]
    public void The_engine_price_is_the_reference_while_keeper_sales_push_the_pool_below_it()
    {
        StressRun r = StressRunner.Run(Fall(), 1);
        Assert.True(r.Summary.Liquidations.Max > 0, "the fall liquidated nobody: the test proves nothing");
        double widest = 0;
        foreach (SeriesPoint x in r.Series!)
        {
            for (int a = 0; a < x.Reference.Length; a++)
            {
                // Governance-priced: the engine holds the published answer, which is the (unlagged) reference.
                Assert.Equal(Math.Round(x.Reference[a], 8), x.EnginePrice[a], 6);
                widest = Math.Max(widest, 1 - (x.Market[a] / x.Reference[a]));
            }
        }

        Assert.True(widest > 0.01, $"keeper sales never moved a pool more than 1% below the reference ({widest:P2}): the pools are not thin enough to test anything");
    }

    [Fact]
    public void Flat_prices_with_thin_pools_leave_nothing_to_liquidate()
    {
        // A flat reference: whatever keepers do in the pools, the venue must not mark itself down.
        StressRun r = StressRunner.Run(Fall(move: 0), 1);
        Assert.Equal(0, r.Summary.BadDebtUsd.Max);
        Assert.Equal(0, r.Summary.Liquidations.Max);
    }

    [Fact]
    public void Keepers_out_during_the_fall_act_only_after_it_and_leave_more_bad_debt()
    {
        StressRun on = StressRunner.Run(Fall(liquidity: "null"), 1);
        StressRun off = StressRunner.Run(Fall(
            keepers: """{ "count": 3, "latencySeconds": 0, "capitalUsd": 1e12, "minProfitUsd": 1, "gasUsd": 1, "outages": [ { "fromSeconds": 0, "toSeconds": 18000 } ] }""",
            liquidity: "null"), 1);
        foreach (SeriesPoint x in off.Series!)
        {
            if (x.Time < 18000)
            {
                Assert.Equal(0, x.Liquidations);
            }
        }

        Assert.True(off.Summary.Liquidations.Max > 0, "keepers back after the outage must liquidate");
        Assert.True(off.Summary.BadDebtUsd.Mean > on.Summary.BadDebtUsd.Mean, $"outage {off.Summary.BadDebtUsd.Mean} vs none {on.Summary.BadDebtUsd.Mean}");
    }

    [Fact]
    public void A_gas_spike_stops_small_liquidations_only_while_it_lasts()
    {
        string spike = """{ "count": 3, "latencySeconds": 0, "capitalUsd": 1e12, "minProfitUsd": 1, "gasUsd": 1, "gasSpikes": [ { "fromSeconds": 0, "toSeconds": 10800, "gasUsd": 1e6 } ] }""";
        StressRun r = StressRunner.Run(Fall(keepers: spike, liquidity: "null"), 1);
        Assert.True(r.Outcomes[0].KeeperSkips > 0, "no keeper skipped an unprofitable liquidation during the spike");
        Assert.All(r.Series!.Where(x => x.Time < 10800), x => Assert.Equal(0, x.Liquidations));
        Assert.True(r.Summary.Liquidations.Max > 0, "after the spike, liquidations resume");
    }

    [Theory]
    [InlineData("""{ "count": 1, "outages": [ { "fromSeconds": 100, "toSeconds": 50 } ] }""", "$.keepers.outages[0].toSeconds")]
    [InlineData("""{ "count": 1, "gasSpikes": [ { "fromSeconds": 0, "toSeconds": 50 } ] }""", "$.keepers.gasSpikes[0].gasUsd")]
    public void Bad_windows_are_refused_naming_the_field(string keepers, string where)
    {
        ScenarioException e = Assert.Throws<ScenarioException>(() => Fall(keepers: keepers));
        Assert.StartsWith(where, e.Message, StringComparison.Ordinal);
    }
}
