using Solvent.Sim.Prices;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>
/// Burn-in: the book runs on calm prices with keepers and borrowers active before the measured window, and
/// only the window is counted.
/// </summary>
public class BurnInTests
{
    private const string Keepers = """{ "count": 3, "latencySeconds": 30, "capitalUsd": 1e9, "minProfitUsd": 5, "gasUsd": 2 }""";
    private const string Gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 0.9 }, { "symbol": "WBTC", "sigma": 0.7 }, { "symbol": "SOL", "sigma": 1.2 } ] }""";

    private static readonly string EdgeBook = """
        {
          "accounts": 600,
          "collateral": { "ETH": 0.5, "WBTC": 0.3, "SOL": 0.2 },
          "debt": { "USDC": 0.7, "USDT": 0.3 },
          "sizeUsd": { "dist": "lognormal", "median": 20000, "sigma": 0.8 },
          "healthFactor": { "dist": "uniform", "min": 1.0, "max": 1.05 }
        }
    """;

    private static Scenario Make(string prices, long burnIn, long duration, string behaviour = "null")
    {
        string json = SimScenarios.Json(prices, Keepers, population: EdgeBook, duration: duration);
        json = json.TrimEnd().TrimEnd('}') + $$""", "burnInSeconds": {{burnIn}}, "behaviour": {{behaviour}} }""";
        return SimScenarios.Parse(json);
    }

    private static PathOutcome Run(Scenario s, double shock = 0) => PathRunner.Run(new Prepared(s), 0, 7, shock, 1, recordSeries: true);

    [Fact]
    public void The_window_counts_exactly_what_happens_after_the_burn_in()
    {
        const int burnSteps = 288, windowSteps = 72;
        PathOutcome withBurnIn = Run(Make(Gbm, burnSteps * 300, windowSteps * 300));
        PathOutcome whole = Run(Make(Gbm, 0, (burnSteps + windowSteps) * 300));
        IReadOnlyList<SeriesPoint> a = withBurnIn.Series!, b = whole.Series!;

        Assert.Equal(windowSteps + 1, a.Count);
        Assert.Equal(0, a[0].Time);
        Assert.True(b[burnSteps].Liquidations > 0, "the calm day must liquidate some of a book at health factor 1.00–1.05");
        for (int k = 0; k <= windowSteps; k++)
        {
            Assert.Equal(b[burnSteps + k].Reference, a[k].Reference);
        }

        Assert.Equal(b[^1].Liquidations - b[burnSteps].Liquidations, withBurnIn.Liquidations);
        double volume = b[^1].LiquidationVolumeUsd - b[burnSteps].LiquidationVolumeUsd;
        Assert.True(Math.Abs(withBurnIn.LiquidationVolumeUsd - volume) <= 1e-6 * Math.Max(1, volume), $"{withBurnIn.LiquidationVolumeUsd} vs {volume}");
        Assert.Equal(b[burnSteps].DebtUsd, a[0].DebtUsd, 6);
        Assert.True(withBurnIn.BookUsd < whole.BookUsd, "the book is measured after the burn-in liquidated part of it");
    }

    [Fact]
    public void A_burn_in_clears_the_edge_before_a_shock_and_is_deterministic()
    {
        const string behaviour = """{ "share": 0.6, "healthFactor": 1.1, "targetHealthFactor": 1.5, "topUpShare": 0.5, "checkIntervalSeconds": 3600 }""";
        double Share(PathOutcome o) => o.LiquidationVolumeUsd / o.BookUsd;
        PathOutcome cold = Run(Make(Gbm, 0, 6 * 3600, behaviour), 0.06);
        PathOutcome warm = Run(Make(Gbm, 2 * 86_400, 6 * 3600, behaviour), 0.06);
        PathOutcome again = Run(Make(Gbm, 2 * 86_400, 6 * 3600, behaviour), 0.06);

        Assert.True(Share(cold) > 0.2, $"a 6% shock must clear the edge of a fresh book: {Share(cold):P2} of the book");
        Assert.True(Share(warm) < Share(cold) / 2, $"after two calm days the same shock liquidates {Share(warm):P2} of the book, against {Share(cold):P2} without burn-in");
        Assert.Equal(warm.LiquidationVolumeUsd, again.LiquidationVolumeUsd);
        Assert.Equal(warm.BadDebtUsd, again.BadDebtUsd);
        Assert.Equal(warm.BookUsd, again.BookUsd);
    }

    [Fact]
    public void The_shock_and_the_volatility_multiplier_act_on_the_window_only()
    {
        const string flat = """{ "model": "gbm", "shockAtSeconds": 3600, "assets": [ { "symbol": "ETH", "sigma": 0 } ] }""";
        Scenario s = Make(flat, 86_400, 3 * 3600);
        var p = new Prepared(s);
        int eth = p.Symbols.ToList().FindIndex(x => x == "ETH");
        IReadOnlyList<SeriesPoint> series = PathRunner.Run(p, 0, 7, 0.3, 3, recordSeries: true).Series!;
        Assert.Equal(p.Initial[eth], series[0].Reference[eth], 9);
        Assert.Equal(p.Initial[eth], series[11].Reference[eth], 9);
        Assert.Equal(0.7 * p.Initial[eth], series[12].Reference[eth], 9);
    }

    [Fact]
    public void A_historical_burn_in_replays_the_history_before_the_start()
    {
        const string prices = """
            { "model": "historical", "start": "2021-05-19T00:00:00Z",
              "assets": [ { "symbol": "ETH", "file": "prices/eth-usd-1h-2021-05.csv" }, { "symbol": "WBTC", "file": "prices/btc-usd-1h-2021-05.csv" } ] }
            """;
        Scenario s = Make(prices, 2 * 86_400, 6 * 3600);
        var p = new Prepared(s);
        int eth = p.Symbols.ToList().FindIndex(x => x == "ETH");
        IReadOnlyList<SeriesPoint> series = PathRunner.Run(p, 0, 7, 0, 1, recordSeries: true).Series!;
        CandleSeries c = CandleSeries.Load(Path.Combine(SimScenarios.ScenarioDir, "prices", "eth-usd-1h-2021-05.csv"));
        long start = DateTimeOffset.Parse("2021-05-19T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();

        // The replay is scaled to the genesis price where the burn-in starts, two days before the window.
        Assert.Equal(p.Initial[eth] * c.At(start) / c.At(start - (2 * 86_400)), series[0].Reference[eth], 6);
        for (int k = 1; k < series.Count; k++)
        {
            Assert.Equal(c.At(start + (k * 300)) / c.At(start), series[k].Reference[eth] / series[0].Reference[eth], 9);
        }
    }

    [Fact]
    public void The_account_step_limit_counts_the_burn_in()
    {
        // 100,000 paths × 1 step × 600 accounts is allowed; 20,000 steps of burn-in put it past 10^12 account-steps.
        Scenario s = Make("""{ "model": "flat" }""", 20_000 * 300, 300);
        ScenarioException e = Assert.Throws<ScenarioException>(() => StressRunner.Run(s, ScenarioLimits.MaxPaths));
        Assert.Equal("--paths", e.JsonPath);
        Assert.Contains("20,001", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "model": "flat" }""", 1000, "$.burnInSeconds", "whole number of steps")]
    [InlineData("""{ "model": "flat" }""", 300L * 200_000, "$.burnInSeconds", "exceeds the limit")]
    [InlineData("""{ "model": "flat" }""", -300, "$.burnInSeconds", "between 0")]
    [InlineData("""{ "model": "historical", "assets": [ { "symbol": "ETH", "file": "prices/eth-usd-1h-2021-05.csv" } ] }""", 3600, "$.burnInSeconds", "needs prices.start")]
    [InlineData("""{ "model": "historical", "start": "2021-05-02T00:00:00Z", "assets": [ { "symbol": "ETH", "file": "prices/eth-usd-1h-2021-05.csv" } ] }""", 30 * 86_400, "$.burnInSeconds", "before the first candle")]
    public void Bad_burn_in_is_refused_naming_the_field(string prices, long burnIn, string where, string message)
    {
        ScenarioException e = Assert.Throws<ScenarioException>(() => Make(prices, burnIn, 3600));
        Assert.Equal(where, e.JsonPath);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
