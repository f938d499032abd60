using CsCheck;
using Solvent.Core;
using Solvent.Core.Risk;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>Fitted books: piecewise distributions and health factors drawn per collateral asset.</summary>
public class FittedPopulationTests
{
    private const string Keepers = """{ "count": 2, "latencySeconds": 30, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""";

    private static string Population(string healthFactor, string extra = "") => $$"""
        {
          "accounts": 3000,
          "collateral": { "ETH": 0.6, "WBTC": 0.4 },
          "debt": { "USDC": 1 },
          "sizeUsd": { "dist": "lognormal", "median": 20000, "sigma": 0.8 },
          "healthFactor": {{healthFactor}}{{extra}}
        }
    """;

    private const string EthBuckets = """{ "dist": "piecewise", "buckets": [ { "min": 1.0, "max": 1.2, "share": 0.25 }, { "min": 2, "max": 3, "share": 0.75 } ] }""";

    [Fact]
    public void Piecewise_draws_land_in_their_buckets_at_their_shares()
    {
        Distribution d = Distribution.Piecewise([(1.0, 1.1, 0.1), (1.1, 1.5, 0.3), (2.0, 4.0, 0.6)]);
        var rng = new Random(5);
        var counts = new int[3];
        const int n = 40_000;
        for (int i = 0; i < n; i++)
        {
            double x = d.Sample(rng);
            int k = x < 1.1 ? 0 : x < 1.5 ? 1 : 2;
            Assert.True(x >= 1.0 && x < 4.0 && !(x >= 1.5 && x < 2.0), $"draw {x} lies outside every bucket");
            counts[k]++;
        }

        Assert.InRange(counts[0] / (double)n, 0.09, 0.11);
        Assert.InRange(counts[1] / (double)n, 0.285, 0.315);
        Assert.InRange(counts[2] / (double)n, 0.585, 0.615);

        // 10% + 30% = 40% lie below 1.5; the median is 10% into the last bucket's 60%: 2 + 2 × (0.1 / 0.6).
        Assert.Equal(1.5, d.Quantile(0.4), 9);
        Assert.Equal(2 + (2 * 0.1 / 0.6), d.Center, 9);
    }

    [Fact]
    public void Any_piecewise_distribution_draws_inside_its_buckets_and_its_quantiles_rise()
    {
        // Random ascending buckets (gaps allowed, zero shares allowed): every draw lies in a bucket with a share,
        // and the quantile function never falls.
        Gen.Select(Gen.Double[0.01, 2].Array[1, 12], Gen.Double[0, 1].Array[12], Gen.Int[0, int.MaxValue]).Sample((widths, shares, seed) =>
        {
            var buckets = new List<(double Min, double Max, double Share)>();
            double at = 1;
            for (int i = 0; i < widths.Length; i++)
            {
                buckets.Add((at, at + widths[i], shares[i]));
                at += widths[i] * 1.5;
            }

            if (buckets.Sum(b => b.Share) <= 0)
            {
                return true;
            }

            Distribution d = Distribution.Piecewise(buckets);
            var rng = new Random(seed);
            for (int k = 0; k < 200; k++)
            {
                double x = d.Sample(rng);
                if (!d.Buckets!.Any(b => b.Share > 0 && x >= b.Min && x <= b.Max))
                {
                    return false;
                }
            }

            double last = double.MinValue;
            for (int q = 0; q <= 100; q++)
            {
                double v = d.Quantile(q / 100.0);
                if (v < last - 1e-12)
                {
                    return false;
                }

                last = v;
            }

            return true;
        });
    }

    [Fact]
    public void A_fitted_book_starts_at_the_health_factors_of_its_collateral()
    {
        string json = SimScenarios.Json("""{ "model": "flat" }""", Keepers, population: Population($$"""{ "ETH": {{EthBuckets}}, "*": 1.5 }"""), duration: 3600);
        var p = new Prepared(SimScenarios.Parse(json));
        Engine e = p.Populations[0].Build(out int[] ids);
        int low = 0, high = 0, wbtc = 0;
        foreach (int id in ids)
        {
            if (id < 0)
            {
                continue;
            }

            Health h = e.HealthOf(id);
            if (h.MaintenanceLiabilities == 0)
            {
                continue;
            }

            double hf = (double)h.MaintenanceCollateral / (double)h.MaintenanceLiabilities;
            Assert.True(hf >= 1.0, $"account {id} imported at health factor {hf}, already liquidatable");
            if (Math.Abs(hf - 1.5) < 0.002)
            {
                wbtc++;
            }
            else if (hf < 1.2 + 1e-3)
            {
                low++;
            }
            else
            {
                Assert.InRange(hf, 2 - 1e-3, 3 + 1e-3);
                high++;
            }
        }

        int eth = low + high;
        Assert.InRange(eth / (double)(eth + wbtc), 0.56, 0.64);
        Assert.InRange(low / (double)eth, 0.21, 0.29);
    }

    [Fact]
    public void A_fitted_book_near_the_edge_loses_its_edge_on_a_small_fall_and_a_book_far_from_it_does_not()
    {
        double Liquidated(string hf)
        {
            string json = SimScenarios.Json("""{ "model": "ramp", "rampMove": -0.08 }""", Keepers, population: Population(hf), duration: 6 * 3600);
            PathOutcome o = StressRunner.Run(SimScenarios.Parse(json), 1).Outcomes[0];
            return o.LiquidationVolumeUsd / o.BookUsd;
        }

        double edge = Liquidated("""{ "dist": "uniform", "min": 1.0, "max": 1.05 }""");
        double safe = Liquidated("""{ "dist": "uniform", "min": 1.15, "max": 3 }""");
        Assert.True(edge > 0.2, $"an 8% fall must liquidate a book at health factor 1.00–1.05: {edge:P2} of the book");
        Assert.Equal(0, safe);
    }

    [Theory]
    [InlineData("""{ "dist": "piecewise", "buckets": [ { "min": 1, "max": 2, "share": 0.5 } ] }""", "$.venues[0].population.healthFactor.buckets", "add up to 1")]
    [InlineData("""{ "dist": "piecewise", "buckets": [ { "min": 1, "max": 2, "share": 0.5 }, { "min": 1.5, "max": 3, "share": 0.5 } ] }""", "$.venues[0].population.healthFactor.buckets[1].min", "overlap")]
    [InlineData("""{ "dist": "piecewise", "buckets": [ { "min": 2, "max": 2, "share": 1 } ] }""", "$.venues[0].population.healthFactor.buckets[0].max", "above min")]
    [InlineData("""{ "dist": "piecewise", "buckets": [ { "min": 0.5, "max": 2, "share": 1 } ] }""", "$.venues[0].population.healthFactor.buckets[0].min", "between 1 and 100")]
    [InlineData("""{ "dist": "piecewise", "buckets": [ { "min": 1, "max": 2, "share": -0.5 }, { "min": 2, "max": 3, "share": 1.5 } ] }""", "$.venues[0].population.healthFactor.buckets[0].share", "between 0 and 1")]
    [InlineData("""{ "dist": "piecewise", "buckets": [] }""", "$.venues[0].population.healthFactor.buckets", "add up to 1")]
    [InlineData("""{ "ETH": 1.5 }""", "$.venues[0].population.healthFactor", "no distribution for collateral WBTC")]
    [InlineData("""{ "ETH": 1.5, "DOGE": 2, "*": 2 }""", "$.venues[0].population.healthFactor.DOGE", "unknown asset")]
    [InlineData("0.9", "$.venues[0].population.healthFactor", "between 1 and 100")]
    public void Bad_health_factor_input_is_refused_naming_the_field(string hf, string where, string message)
    {
        string json = SimScenarios.Json("""{ "model": "flat" }""", Keepers, population: Population(hf), duration: 3600);
        ScenarioException ex = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(json));
        Assert.Equal(where, ex.JsonPath);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ltv_and_health_factor_together_are_refused_and_65_buckets_are_too_many()
    {
        string both = SimScenarios.Json("""{ "model": "flat" }""", Keepers, population: Population("1.5", """, "ltv": 0.5"""), duration: 3600);
        Assert.Equal("$.venues[0].population.ltv", Assert.Throws<ScenarioException>(() => SimScenarios.Parse(both)).JsonPath);

        string many = "{ \"dist\": \"piecewise\", \"buckets\": [" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"{{ \"min\": {1 + i}, \"max\": {1.5 + i}, \"share\": {(i == 0 ? 1 : 0)} }}")) + "] }";
        string json = SimScenarios.Json("""{ "model": "flat" }""", Keepers, population: Population(many), duration: 3600);
        Assert.Contains("at most 64", Assert.Throws<ScenarioException>(() => SimScenarios.Parse(json)).Message, StringComparison.Ordinal);
    }
}
