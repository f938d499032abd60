using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>Small scenarios built in code over the bundled example genesis (fast enough for CI).</summary>
internal static class SimScenarios
{
    public static string ScenarioDir => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static Scenario Parse(string json) => ScenarioLoader.Parse(json, ScenarioDir);

    /// <summary>A lending + perps book under a price model; pools, keepers and (optionally) the population as given (JSON fragments); the example genesis unless another is named.</summary>
    public static string Json(string prices, string keepers, string liquidity = "null", int accounts = 400, double perpShare = 0.2, long step = 300, long duration = 21600, int paths = 1, string oracle = "{ \"updateIntervalSeconds\": 300, \"lagSeconds\": 300, \"deviationThreshold\": 0.005, \"heartbeatSeconds\": 3600 }", string genesis = "genesis.example.json", string? population = null) => $$"""
    {
      "name": "test", "seed": 11, "paths": {{paths}}, "stepSeconds": {{step}}, "durationSeconds": {{duration}},
      "venues": [ {
        "genesis": "{{genesis}}",
        "insuranceUsd": { "USDC": 20000 },
        "marketInsuranceUsd": { "ETH-PERP": 5000 },
        "population": {{population ?? Generated(accounts, perpShare)}}
      } ],
      "prices": {{prices}},
      "oracle": {{oracle}},
      "liquidity": {{liquidity}},
      "keepers": {{keepers}}
    }
    """;

    /// <summary>The generated borrowers and traders the scenarios above use.</summary>
    public static string Generated(int accounts, double perpShare) => $$"""
        {
          "accounts": {{accounts}},
          "collateral": { "ETH": 0.5, "WBTC": 0.3, "SOL": 0.2 },
          "debt": { "USDC": 0.7, "USDT": 0.3 },
          "sizeUsd": { "dist": "lognormal", "median": 20000, "sigma": 0.8 },
          "ltv": { "dist": "uniform", "min": 0.4, "max": 0.8 },
          "perpShare": {{perpShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}},
          "markets": { "ETH-PERP": 0.6, "BTC-PERP": 0.4 },
          "leverage": { "dist": "uniform", "min": 1, "max": 8 }
        }
    """;
}
