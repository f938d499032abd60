namespace Solvent.Sim.Running;

/// <summary>Distribution of one figure over Monte Carlo paths; VaR95/VaR99 are the 95th/99th percentiles (loss quantiles).</summary>
/// <param name="Mean">Mean over paths.</param>
/// <param name="P50">Median.</param>
/// <param name="Var95">95th percentile.</param>
/// <param name="Var99">99th percentile.</param>
/// <param name="Max">Worst path.</param>
public sealed record Stats(double Mean, double P50, double Var95, double Var99, double Max)
{
    /// <summary>Summarizes values (order does not matter; the result does not depend on scheduling).</summary>
    public static Stats Of(IEnumerable<double> values)
    {
        double[] v = [.. values];
        Array.Sort(v);
        if (v.Length == 0)
        {
            return new Stats(0, 0, 0, 0, 0);
        }

        double sum = 0;
        foreach (double x in v)
        {
            sum += x;
        }

        return new Stats(Round(sum / v.Length), Round(Quantile(v, 0.5)), Round(Quantile(v, 0.95)), Round(Quantile(v, 0.99)), Round(v[^1]));
    }

    /// <summary>
    /// Nearest-rank quantile of ascending values: the ⌈q·n⌉-th smallest (1-based), computed on integers so that
    /// q·n landing on a whole number in binary floating point (0.95 × 100) cannot move it one rank up or down.
    /// </summary>
    public static double Quantile(double[] sorted, double q)
    {
        long rank = ((Billionths(q) * sorted.Length) + 999_999_999L) / 1_000_000_000L;
        return sorted[(int)Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A probability in billionths (0–1e9), so quantile ranks are exact integer arithmetic.</summary>
    internal static long Billionths(double q) => (long)Math.Round(Math.Clamp(q, 0, 1) * 1e9);

    private static double Round(double x) => Math.Round(x, 4);
}
