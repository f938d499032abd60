using System.Globalization;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Xunit.Abstractions;

namespace Solvent.Sim.Tests;

/// <summary>
/// Historical backtests: 12 March 2020 and 19 May 2021 replayed from the real hourly candles on books fitted
/// to the date, after a seven-day burn-in on the week before. Published figures and their sources are in
/// docs/stress.md ("Backtests"); what matches is asserted, what does not is printed and explained there.
/// </summary>
public class BacktestTests(ITestOutputHelper output)
{
    public static TheoryData<string> Days => ["2020-03-12", "2021-05-19"];

    /// <summary>One measured run: lending figures and the hour ranking.</summary>
    private sealed record Row(double DebtUsd, double LiquidatedUsd, double BadDebtUsd, int[] TopSimulated, int[] TopReal)
    {
        public double Share => LiquidatedUsd / DebtUsd;

        public double BadShare => BadDebtUsd / DebtUsd;

        public int Overlap => TopSimulated.Intersect(TopReal).Count();

        public string Text => string.Create(CultureInfo.InvariantCulture,
            $"lending debt {DebtUsd:N0} USD, liquidated {LiquidatedUsd:N0} USD = {Share:P2}, lending bad debt {BadDebtUsd:N0} USD = {BadShare:P3}, worst hours simulated [{string.Join(",", TopSimulated)}] real [{string.Join(",", TopReal)}] overlap {Overlap}/3");
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void A_fitted_book_after_burn_in_liquidates_in_the_hours_the_market_fell(string day)
    {
        Scenario s = Load(day);
        Row r = Measure(s);
        output.WriteLine($"{day}: {r.Text}");

        Assert.True(r.LiquidatedUsd > 0, "the day must liquidate part of the book");
        Assert.True(r.Overlap >= 2, $"the worst simulated hours must include at least two of the three hours ETH fell most: {r.Text}");
        if (day == "2020-03-12")
        {
            // Maker's deficit after 12–13 March 2020, 5.67M DAI (Whiterabbit), over the 73.7M USD of loans
            // outstanding on Maker, Compound and dYdX (LoanScan via The Block, 8 March 2020): 7.7%.
            const double published = 5.67 / 73.7;
            Assert.InRange(r.BadShare, published / 2, published * 2);
        }
    }

    [Fact]
    public void A_safer_book_loses_less_and_the_comparison_table_prints()
    {
        // Published liquidated share of outstanding debt (docs/stress.md): 12 March 2020 23.3M × 89.9% / 73.7M;
        // 19 May 2021 377M over an assumed 15–20B of debt.
        var published = new Dictionary<string, string> { ["2020-03-12"] = "28.4%", ["2021-05-19"] = "1.9%–2.5% (assumed debt)" };
        foreach (string day in new[] { "2020-03-12", "2021-05-19" })
        {
            Scenario fitted = Load(day);
            Row warm = Measure(fitted), cold = Measure(fitted with { BurnInSeconds = 0 });
            Row uniform = Measure(WithBook(fitted, ltv: new Distribution("uniform", 0.2, 0.8)) with { BurnInSeconds = 0 });
            Row safe = Measure(WithBook(fitted, floor: 2));
            output.WriteLine($"| {day} | published {published[day]} |");
            output.WriteLine($"|  fitted + 7-day burn-in | {warm.Text} |");
            output.WriteLine($"|  fitted, no burn-in | {cold.Text} |");
            output.WriteLine($"|  uniform LTV 0.2–0.8, no burn-in | {uniform.Text} |");
            output.WriteLine($"|  fitted, volatile collateral at HF ≥ 2, burn-in | {safe.Text} |");
            Assert.True(cold.LiquidatedUsd > 0 && uniform.LiquidatedUsd > 0, $"{day}: every book must lose something on the day");
            Assert.True(safe.Share < warm.Share, $"{day}: a safer book must lose less: {safe.Text} against {warm.Text}");
        }
    }

    private static Scenario Load(string day) => ScenarioLoader.Load(Path.Combine(SimScenarios.ScenarioDir, $"backtest-{day}.json"));

    /// <summary>The scenario with its book's health factors replaced: LTV drawn from <paramref name="ltv"/>, or volatile collateral moved to at least <paramref name="floor"/>.</summary>
    private static Scenario WithBook(Scenario s, Distribution? ltv = null, double floor = 0)
    {
        VenueSpec v = s.Venues[0];
        PopulationSpec pop = v.Population!;
        if (ltv is not null)
        {
            pop = pop with { Ltv = ltv, HealthFactor = null };
        }
        else
        {
            int usdc = v.Genesis.FindAsset("USDC");
            pop = pop with
            {
                HealthFactor = pop.HealthFactor!.ToDictionary(kv => kv.Key, kv => kv.Key == usdc ? kv.Value : Distribution.Piecewise([.. kv.Value.Buckets!.Select(b => (Math.Max(b.Min, floor), Math.Max(b.Max, floor + 0.5), b.Share))])),
            };
        }

        return s with { Venues = [v with { Population = pop }] };
    }

    private static Row Measure(Scenario s)
    {
        PathOutcome o = PathRunner.Run(new Prepared(s), 0, StressRunner.PathSeed(s.Seed, 0), s.Prices.Shock, s.Prices.VolMultiplier, recordSeries: true);
        SegmentFigures[] lending = [.. o.Segments.Where(x => !x.IsMarket).Select(x => x.Figures)];

        // Hours by liquidation volume (lending and perps) against hours by ETH's fall inside its candle (open to low).
        IReadOnlyList<SeriesPoint> series = o.Series!;
        int hours = (int)(s.DurationSeconds / 3600), perHour = (int)(3600 / s.StepSeconds);
        var simulated = new double[hours];
        var fall = new double[hours];
        string candles = s.Prices.Assets.First(a => a.Symbol == "ETH").File!;
        for (int h = 0; h < hours; h++)
        {
            simulated[h] = series[(h + 1) * perHour].LiquidationVolumeUsd - series[h * perHour].LiquidationVolumeUsd;
            (double open, double low) = OpenAndLow(candles, s.Prices.Start + (h * 3600));
            fall[h] = 1 - (low / open);
        }

        return new Row(lending.Sum(x => x.BookUsd), lending.Sum(x => x.LiquidationVolumeUsd), lending.Sum(x => x.BadDebtUsd), Top3(simulated), Top3(fall));
    }

    private static int[] Top3(double[] x) => [.. Enumerable.Range(0, x.Length).OrderByDescending(i => x[i]).ThenBy(i => i).Take(3).Order()];

    private static (double Open, double Low) OpenAndLow(string file, long at)
    {
        foreach (string line in File.ReadLines(file).Skip(1))
        {
            string[] f = line.Split(',');
            if (long.Parse(f[0], CultureInfo.InvariantCulture) == at)
            {
                return (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"no candle at {at} in {file}");
    }
}
