using Solvent.Core;
using Solvent.Core.State;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

public class RunnerTests
{
    private const string Keepers = """{ "count": 3, "latencySeconds": { "dist": "lognormal", "median": 60, "sigma": 1 }, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""";
    private const string Gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.5, "jumpIntensity": 300, "jumpMean": -0.02, "jumpStd": 0.05 }, { "symbol": "WBTC", "sigma": 1.0 } ], "correlation": [[1, 0.8], [0.8, 1]], "shock": 0.15, "shockAtSeconds": 3600 }""";
    private const string Pools = """{ "pools": { "ETH": { "depthUsd": 5e6 }, "WBTC": { "depthUsd": 5e6 }, "SOL": { "depthUsd": 1e6 } } }""";

    [Fact]
    public void Same_seed_gives_a_bit_identical_summary_and_another_seed_does_not()
    {
        Scenario s = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 200, paths: 6));
        string a = SummaryJson.Serialize(StressRunner.Run(s).Summary);
        string b = SummaryJson.Serialize(StressRunner.Run(s).Summary);
        Assert.Equal(a, b);
        string c = SummaryJson.Serialize(StressRunner.Run(s with { Seed = s.Seed + 1 }).Summary);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_path_gives_the_same_result_whatever_else_runs_beside_it()
    {
        // Path i's seed depends only on the scenario seed and i, so 3 paths are the first 3 of 6.
        Scenario s = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 150));
        IReadOnlyList<PathResult> three = StressRunner.Run(s, 3).Summary.PathResults;
        IReadOnlyList<PathResult> six = StressRunner.Run(s, 6).Summary.PathResults;
        Assert.Equal(three, six.Take(3));
        Assert.NotEqual(six[0], six[1]);
    }

    [Fact]
    public void Core_ledgers_still_balance_after_a_stressed_run()
    {
        Scenario s = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 300));
        var p = new Prepared(s);
        bool checkedAny = false;
        PathOutcome o = PathRunner.Run(p, 0, 5, 0.3, 1, true, engines =>
        {
            foreach (Engine e in engines)
            {
                foreach (PerpMarket m in e.Markets)
                {
                    long sizes = 0;
                    Int128 quotes = 0;
                    for (int id = 0; id < e.Accounts.Count; id++)
                    {
                        sizes += e.Accounts.Size(id, m.Config.Id);
                        quotes += e.Accounts.Quote(id, m.Config.Id);
                    }

                    Assert.Equal(0, sizes);
                    Assert.True(quotes + m.FeePool + m.Insurance + m.FundingSettled + m.SettledPnl == 0, $"{m.Config.Symbol} ledger");
                }

                for (int a = 0; a < e.Pools.Length; a++)
                {
                    AssetPool q = e.Pools[a];
                    long supply = 0, debt = 0;
                    for (int id = 0; id < e.Accounts.Count; id++)
                    {
                        long x = e.Accounts.Scaled(id, a);
                        supply += Math.Max(0, x);
                        debt += Math.Max(0, -x);
                    }

                    Assert.Equal(q.TotalScaledSupply, supply);
                    Assert.Equal(q.TotalScaledDebt, debt);
                    Assert.True(q.Insurance >= 0 && q.BadDebt >= 0);
                    Assert.True(Math.Abs(q.RoundingSurplus) < 1_000_000, $"{q.Config.Symbol} rounding surplus {q.RoundingSurplus}");
                }

                checkedAny = true;
            }
        });
        Assert.True(checkedAny);
        Assert.True(o.Liquidations > 0, "the run must have liquidated to test anything");
        IReadOnlyList<SeriesPoint> series = o.Series!;
        for (int i = 1; i < series.Count; i++)
        {
            Assert.True(series[i].Liquidations >= series[i - 1].Liquidations);
            Assert.True(series[i].BadDebtUsd >= series[i - 1].BadDebtUsd);
        }
    }

    [Theory]
    [InlineData("\"count\": 3", "\"count\": -1", "$.keepers.count")]
    [InlineData("\"model\": \"gbm\"", "\"model\": \"brownian\"", "$.prices.model")]
    [InlineData("\"symbol\": \"WBTC\"", "\"symbol\": \"DOGE\"", "$.prices.assets[1].symbol")]
    [InlineData("\"genesis\": \"genesis.example.json\"", "\"genesis\": \"missing.json\"", "$.venues[0].genesis")]
    [InlineData("[[1, 0.8], [0.8, 1]]", "[[1, 1.8], [1.8, 1]]", "$.prices.correlation")]
    public void Bad_scenarios_name_the_json_path(string find, string replace, string path)
    {
        string json = SimScenarios.Json(Gbm, Keepers, Pools).Replace(find, replace);
        ScenarioException e = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(json));
        Assert.Equal(path, e.JsonPath);
    }

    [Fact]
    public void Every_bundled_scenario_loads()
    {
        // Genesis files, eval requests and the example state proof live beside the stress scenarios.
        string[] others = ["genesis", "eval", "proof"];
        string[] files = Directory.GetFiles(SimScenarios.ScenarioDir, "*.json").Where(f => !others.Any(o => Path.GetFileName(f).StartsWith(o, StringComparison.Ordinal))).ToArray();
        Assert.True(files.Length >= 2);
        foreach (string f in files)
        {
            Assert.True(ScenarioLoader.Load(f).Steps > 0, f);
        }
    }
}
