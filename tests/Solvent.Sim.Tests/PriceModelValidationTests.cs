using System.Globalization;
using Solvent.Sim.Prices;
using Solvent.Sim.Scenarios;
using Xunit.Abstractions;

namespace Solvent.Sim.Tests;

/// <summary>
/// Out-of-sample check of the Monte Carlo price model: calibrated on 2018–2019 hourly ETH and BTC, simulated
/// at 5-minute steps, and compared with 2020–2021 (to the end of the bundled file) on the yearly frequency of
/// hourly moves beyond x% and of UTC days whose intraday drawdown exceeds x%.
/// </summary>
public class PriceModelValidationTests(ITestOutputHelper output)
{
    private static readonly long Fit0 = Unix("2018-01-01"), Split = Unix("2020-01-01");
    private const int StepsPerHour = 12;

    [Fact]
    public void A_model_fitted_on_2018_2019_reproduces_the_2020_2021_move_and_drawdown_frequencies()
    {
        string eth = Path.Combine(SimScenarios.ScenarioDir, "prices", "eth-usd-1h-2018-2021.csv");
        string btc = Path.Combine(SimScenarios.ScenarioDir, "prices", "btc-usd-1h-2018-2021.csv");
        CalibrationResult cal = Calibration.Run([("ETH", eth), ("WBTC", btc)], Fit0, Split);
        Assert.True(cal.CommonJumpIntensity > 0, "ETH and BTC jump together in the data: the fit must see common jumps");

        // Model: 8 simulated years at 5-minute steps, read back hourly (every 12th step).
        PricePlan plan = new(Spec(cal), ["ETH", "WBTC"], [1000, 10000]);
        const int years = 8;
        int steps = 8760 * StepsPerHour;
        var rows = new List<string>();
        string failures = "";
        var sim = new Freq[2];
        var fine = new double[2];
        for (int a = 0; a < 2; a++)
        {
            sim[a] = new Freq();
        }

        var into = new[] { new double[steps + 1], new double[steps + 1] };
        for (int y = 0; y < years; y++)
        {
            plan.Generate(new Random(1000 + y), steps, 300, into, 0, 1);
            for (int a = 0; a < 2; a++)
            {
                double[] hourly = [.. Enumerable.Range(0, 8761).Select(h => into[a][h * StepsPerHour])];
                sim[a].Add(hourly);
                for (int s = 1; s <= steps; s++)
                {
                    fine[a] += Math.Log(into[a][s] / into[a][s - 1]) < -0.05 ? 1.0 / years : 0;
                }
            }
        }

        for (int a = 0; a < 2; a++)
        {
            (Freq data, double hoursOfData) = DataFreq(a == 0 ? eth : btc, Split, long.MaxValue);
            string sym = a == 0 ? "ETH" : "BTC";
            double dataYears = hoursOfData / 8760;
            foreach ((string what, double x) in Checks())
            {
                double d = data.Rate(what, x, dataYears), m = sim[a].Rate(what, x, years);
                int observed = (int)Math.Round(d * dataYears);
                bool ok = observed >= 10 ? m <= d * 3 && m >= d / 3 : PoissonPlausible(observed, m * dataYears);
                string rule = observed >= 10 ? "within ×3" : "Poisson 1%";
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"[table] {sym} {what} beyond {x:P0}: data 2020-21 {d:F1}/yr ({observed} events), model {m:F1}/yr, ratio {m / d:F2} ({rule})"));
                failures += ok ? "" : rows[^1] + "\n";
            }

            // A one-block (5-minute) drop beyond 5% must not be more frequent than hourly ones in the data: an
            // hourly jump applied as one block gap fails this.
            double hourlyDrops = data.Rate("hourly drop", 0.05, dataYears);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"[table] {sym} 5-minute drops beyond 5%: model {fine[a]:F1}/yr vs data hourly {hourlyDrops:F1}/yr"));
            failures += fine[a] <= hourlyDrops ? "" : rows[^1] + "\n";
        }

        foreach (string r in rows)
        {
            output.WriteLine(r);
        }

        Assert.True(failures.Length == 0, failures);
    }

    /// <summary>
    /// What is compared. Tolerance: a factor of 3 either way where the held-out 1.4 years hold at least 10 events;
    /// for rarer ones the observed count must be plausible (two-sided 1%) under a Poisson law with the model's mean.
    /// </summary>
    private static IEnumerable<(string What, double X)> Checks() =>
    [
        ("hourly move", 0.03), ("hourly move", 0.05), ("hourly drop", 0.05), ("hourly move", 0.10),
        ("daily drawdown", 0.10), ("daily drawdown", 0.20),
    ];

    private static bool PoissonPlausible(int observed, double mean)
    {
        double p = Math.Exp(-mean), below = 0;
        for (int k = 0; k < observed; k++)
        {
            below += p;
            p *= mean / (k + 1);
        }

        // P(X < observed) and P(X ≤ observed) bracket the observation.
        return below + p >= 0.005 && below <= 0.995;
    }

    private static PriceSpec Spec(CalibrationResult cal) => new()
    {
        Model = "garch",
        Assets = [.. cal.Assets.Select((a, i) => new AssetPriceSpec(i, a.Symbol, null, a.Mu, a.Sigma, a.JumpIntensity, a.JumpMean, a.JumpStd, a.GarchOmega, a.GarchAlpha, a.GarchBeta)
        {
            JumpMinimum = a.JumpMinimum,
            JumpUpProbability = a.JumpUpProbability,
            JumpUpMean = a.JumpUpMean,
            JumpDownMean = a.JumpDownMean,
        })],
        Correlation = new[,] { { 1, cal.Correlation[0][1] }, { cal.Correlation[1][0], 1 } },
        CalibrationSeconds = cal.CalibrationSeconds,
        CommonJumpIntensity = cal.CommonJumpIntensity,
        CommonJumpUpProbability = cal.CommonJumpUpProbability,
        JumpExcitation = cal.JumpExcitation,
        JumpExcitationHalfLifeSeconds = cal.JumpExcitationHalfLifeSeconds,
    };

    private static (Freq F, double Hours) DataFreq(string file, long from, long to)
    {
        CandleSeries c = CandleSeries.Load(file);
        var f = new Freq();
        var run = new List<double>();
        double hours = 0;
        long start = -1;
        for (int i = 0; i < c.Count; i++)
        {
            long t = c.Times[i];
            if (t < from || t >= to)
            {
                continue;
            }

            // Whole UTC days only, starting at midnight; a missing candle ends the stretch.
            if (run.Count > 0 && t != start + (run.Count * 3600L))
            {
                hours += f.Add([.. run]);
                run.Clear();
            }

            if (run.Count == 0)
            {
                if (t % 86_400 != 0)
                {
                    continue;
                }

                start = t;
            }

            run.Add(c.Closes[i]);
        }

        hours += f.Add([.. run]);
        return (f, hours);
    }

    private static long Unix(string day) => DateTimeOffset.Parse(day + "T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds();

    /// <summary>Counts of hourly moves and daily drawdowns over hourly closes that start at a UTC midnight.</summary>
    private sealed class Freq
    {
        private readonly List<double> _moves = [];
        private readonly List<double> _drawdowns = [];

        /// <summary>Adds a stretch of hourly closes; returns the hours of returns it added.</summary>
        public double Add(double[] closes)
        {
            for (int i = 1; i < closes.Length; i++)
            {
                _moves.Add(Math.Log(closes[i] / closes[i - 1]));
            }

            for (int d = 0; d + 24 < closes.Length; d += 24)
            {
                double peak = closes[d], worst = 0;
                for (int i = d; i <= d + 24; i++)
                {
                    peak = Math.Max(peak, closes[i]);
                    worst = Math.Max(worst, 1 - (closes[i] / peak));
                }

                _drawdowns.Add(worst);
            }

            return Math.Max(0, closes.Length - 1);
        }

        public double Rate(string what, double x, double years) => what switch
        {
            "hourly move" => _moves.Count(r => Math.Abs(r) > x) / years,
            "hourly drop" => _moves.Count(r => r < -x) / years,
            _ => _drawdowns.Count(d => d > x) / years,
        };
    }
}
