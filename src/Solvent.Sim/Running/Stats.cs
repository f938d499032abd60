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

    /// <summary>Nearest-rank quantile of sorted values.</summary>
    public static double Quantile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double x) => Math.Round(x, 4);
}
