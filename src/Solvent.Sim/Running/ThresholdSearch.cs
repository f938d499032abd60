using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>Smallest stress at which the insurance fund is exhausted, with a 95% confidence interval.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Kind"><c>shock</c> (instantaneous relative drop) or <c>volMultiplier</c>.</param>
/// <param name="Threshold">Median over paths: the stress at which half the paths exhaust the fund.</param>
/// <param name="CiLow">Lower end of the 95% interval (order statistics of the per-path thresholds).</param>
/// <param name="CiHigh">Upper end.</param>
/// <param name="Paths">Monte Carlo paths.</param>
/// <param name="Censored">Paths that did not exhaust the fund even at the search ceiling (counted at the ceiling).</param>
/// <param name="Ceiling">Search ceiling.</param>
/// <param name="PerPath">Each path's threshold, in path order.</param>
public sealed record ThresholdResult(string Scenario, string Kind, double Threshold, double CiLow, double CiHigh, int Paths, int Censored, double Ceiling, IReadOnlyList<double> PerPath);

/// <summary>
/// Bisection with Monte Carlo at each point, done per path: path i (its own seed, so the same prices,
/// latencies and book at every probe) is re-run at each bisection point until the stress that first
/// exhausts the fund is bracketed to the tolerance. The share of paths exhausted at a stress x is the
/// share of per-path thresholds ≤ x, so the median per-path threshold is where half the paths fail, and
/// its binomial order-statistic interval is the reported 95% confidence interval.
/// </summary>
public static class ThresholdSearch
{
    /// <summary>Searches the shock (0–<paramref name="ceiling"/>) or the volatility multiplier (0–ceiling).</summary>
    public static ThresholdResult Find(Scenario s, string kind, int paths, int iterations = 8, double? ceiling = null, Action<int>? pathDone = null)
    {
        bool shock = kind == "shock";
        if (!shock && kind != "volMultiplier")
        {
            throw new ScenarioException("--kind", "must be shock or volMultiplier");
        }

        double top = ceiling ?? (shock ? 0.95 : 20);
        ScenarioLimits.Paths(paths, "--paths");
        var p = new Prepared(s);
        ScenarioLimits.Work(paths * (iterations + 1), s.Steps + s.BurnInSteps, p.Populations.Sum(x => (long)x.Accounts));
        var result = new double[paths];
        var censored = new bool[paths];
        StressRunner.ForEachPath(paths, i =>
        {
            int seed = StressRunner.PathSeed(s.Seed, i);
            bool Exhausted(double x) => PathRunner.Run(p, i, seed, shock ? x : s.Prices.Shock, shock ? s.Prices.VolMultiplier : x, false).Exhausted;
            if (!Exhausted(top))
            {
                (result[i], censored[i]) = (top, true);
            }
            else
            {
                double lo = 0, hi = top;
                for (int it = 0; it < iterations; it++)
                {
                    double mid = (lo + hi) / 2;
                    if (Exhausted(mid))
                    {
                        hi = mid;
                    }
                    else
                    {
                        lo = mid;
                    }
                }

                result[i] = hi;
            }

            pathDone?.Invoke(i);
        });
        double[] sorted = [.. result];
        Array.Sort(sorted);
        double half = 1.96 * Math.Sqrt(paths) / 2;
        int j = Math.Max(1, (int)Math.Floor((paths / 2.0) - half));
        int k = Math.Min(paths, (int)Math.Ceiling((paths / 2.0) + half + 1));
        return new ThresholdResult(
            s.Name, kind, Math.Round(Stats.Quantile(sorted, 0.5), 6), Math.Round(sorted[j - 1], 6), Math.Round(sorted[k - 1], 6),
            paths, censored.Count(c => c), top, [.. result.Select(x => Math.Round(x, 6))]);
    }
}

/// <summary>One value of a sweep: threshold and bad-debt VaR.</summary>
/// <param name="Value">Parameter value.</param>
/// <param name="Threshold">Shock threshold at this value.</param>
/// <param name="BadDebtUsd">Bad-debt distribution of a plain run at this value (VaR95/VaR99).</param>
/// <param name="ExhaustedShare">Share of plain-run paths that exhausted the fund.</param>
/// <param name="Risk">The plain run's tail figures in total, per asset and per market (for parameter recommendations).</param>
public sealed record SweepPoint(double Value, ThresholdResult Threshold, Stats BadDebtUsd, double ExhaustedShare, RiskSummary? Risk = null);

/// <summary>A parameter sweep.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Param">Parameter swept.</param>
/// <param name="Points">One entry per value.</param>
public sealed record SweepResult(string Scenario, string Param, IReadOnlyList<SweepPoint> Points);
