using Solvent.Core;
using Solvent.Core.Oracle;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>
/// Publisher-fed venues (genesis.oracle.json: ETH and WBTC fed by five publishers, quorum 3, at most 10% per
/// aggregation, clamp): the simulator must move the engine's price through the oracle network, not around it.
/// </summary>
public class OracleNetworkTests
{
    private const string Keepers = """{ "count": 3, "latencySeconds": 30, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""";
    private const string Flat = """{ "model": "flat", "shockAtSeconds": 3600 }""";
    private const string Gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.5, "jumpIntensity": 300, "jumpMean": -0.02, "jumpStd": 0.05 }, { "symbol": "WBTC", "sigma": 1.0 } ], "correlation": [[1, 0.8], [0.8, 1]], "shock": 0.15, "shockAtSeconds": 3600 }""";
    private const string Pools = """{ "pools": { "ETH": { "depthUsd": 5e6 }, "WBTC": { "depthUsd": 5e6 }, "SOL": { "depthUsd": 1e6 } } }""";
    private const string EveryMinute = """{ "updateIntervalSeconds": 60, "lagSeconds": 60, "deviationThreshold": 0.005, "heartbeatSeconds": 3600 }""";

    private static Scenario OracleGap(string prices = Flat, int paths = 1) => SimScenarios.Parse(SimScenarios.Json(
        prices, Keepers, accounts: 300, step: 60, duration: 3 * 3600, paths: paths, oracle: EveryMinute, genesis: "genesis.oracle.json"));

    [Fact]
    public void A_30pct_gap_moves_the_engine_price_through_the_publishers_at_most_max_move_per_aggregation()
    {
        Scenario s = OracleGap();
        var p = new Prepared(s);
        int eth = IndexOf(p.Symbols, "ETH");
        long start = 0, end = 0, maxMove = 0;
        FeedStatus status = FeedStatus.Paused;
        bool healthy = false;
        PathOutcome o = PathRunner.Run(p, 0, 5, 0.3, 1, true, engines =>
        {
            Engine e = engines[0];
            int id = IndexOf([.. e.Genesis.Assets.Select(a => a.Symbol)], "ETH");
            start = e.Genesis.Assets[id].InitialPrice;
            end = e.Pools[id].Price;
            OracleFeed f = e.FeedOf(id)!;
            maxMove = f.Config.MaxMove;
            status = f.Status;
            healthy = f.IsHealthy(e.Time);
        });

        // Today's silent refusal left the engine at the genesis price; the gap must reach it.
        Assert.True(end < start * 0.75, $"engine ETH price {end / 1e8} after a −30% gap from {start / 1e8}");

        // Publishers keep reporting after the gap (two hours > maxAge 120 s): the feed is fresh and unflagged.
        Assert.True(healthy, "the ETH feed went stale or stayed flagged");
        Assert.Equal(FeedStatus.Ok, status);

        IReadOnlyList<SeriesPoint> series = o.Series!;
        double bound = maxMove / 1e6;
        int clamped = 0;
        for (int i = 1; i < series.Count; i++)
        {
            double before = series[i - 1].EnginePrice[eth], after = series[i].EnginePrice[eth];
            double move = Math.Abs(after - before) / before;
            Assert.True(move <= bound + 1e-9, $"at {series[i].Time} s the engine price moved {move:P2} ({before} → {after}), above maxMove {bound:P0}");
            clamped += move > bound - 1e-6 ? 1 : 0;
        }

        // The sim feed's own answer gapped 30% in one round; Core spread it over several aggregations.
        Assert.True(clamped >= 2, $"only {clamped} aggregations moved by the full maxMove");
        Assert.Contains(series, x => Math.Abs((x.Oracle[eth] / series[0].Oracle[eth]) - 0.7) < 1e-9);
        Assert.True(o.OracleClamps >= 2, $"{o.OracleClamps} OraclePriceClamped events");
    }

    [Fact]
    public void Same_seed_gives_identical_output_on_a_publisher_fed_venue()
    {
        Scenario s = OracleGap(Gbm, paths: 3);
        StressRun a = StressRunner.Run(s);
        StressRun b = StressRunner.Run(s);
        Assert.Equal(SummaryJson.Serialize(a.Summary), SummaryJson.Serialize(b.Summary));
        Assert.Equal(SeriesCsv.Write(a.Series!, a.Symbols), SeriesCsv.Write(b.Series!, b.Symbols));

        // It did run the oracle network and the controllers, or this would only repeat the governance-priced test.
        Assert.True(a.Summary.OracleClamps.Max > 0, "no aggregate was clamped");
        Assert.True(a.Summary.RiskAdjustments.Max > 0, "no risk controller moved a parameter");
    }

    [Fact]
    public void A_governance_priced_venue_keeps_set_oracle_price_and_has_no_end_block_activity()
    {
        Scenario s = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 200, paths: 4));
        StressRun a = StressRunner.Run(s);
        Assert.Equal(SummaryJson.Serialize(a.Summary), SummaryJson.Serialize(StressRunner.Run(s).Summary));
        Assert.Equal(new Stats(0, 0, 0, 0, 0), a.Summary.RiskAdjustments);
        Assert.Equal(new Stats(0, 0, 0, 0, 0), a.Summary.OracleClamps);
        Assert.Equal(new Stats(0, 0, 0, 0, 0), a.Summary.OraclePauses);

        // Governance prices land as published, the same step: the engine's price is the sim's answer throughout.
        foreach (SeriesPoint x in a.Series!)
        {
            for (int i = 0; i < x.Oracle.Length; i++)
            {
                Assert.Equal(Math.Round(x.Oracle[i], 8), x.EnginePrice[i], 8);
            }
        }

        Assert.True(a.Summary.Liquidations.Max > 0, "the stress liquidated nobody: the scenario tests nothing");
    }

    private static int IndexOf(IReadOnlyList<string> symbols, string symbol)
    {
        for (int i = 0; i < symbols.Count; i++)
        {
            if (string.Equals(symbols[i], symbol, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{symbol} is not listed");
    }
}
