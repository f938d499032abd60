namespace Solvent.Sim.Running;

/// <summary>
/// The loss tail of one figure over Monte Carlo paths. VaR is the nearest-rank quantile (the smallest value
/// with at least q of the paths at or below it, so it is always a value some path produced and never an
/// interpolation toward the lighter side); CVaR (expected shortfall) is the Acerbi–Tasche estimator, the mean
/// of the worst n·(1 − q) paths with the boundary path weighted by its fractional part, so CVaR ≥ VaR always
/// and both equal the worst path once n·(1 − q) ≤ 1.
/// </summary>
/// <param name="Mean">Mean over paths.</param>
/// <param name="Var95">95% value at risk (nearest rank).</param>
/// <param name="CVar95">95% conditional value at risk (mean of the worst 5% of paths).</param>
/// <param name="Var99">99% value at risk.</param>
/// <param name="CVar99">99% conditional value at risk (mean of the worst 1%).</param>
/// <param name="Max">Worst path.</param>
public sealed record Tail(double Mean, double Var95, double CVar95, double Var99, double CVar99, double Max)
{
    /// <summary>The quantile method, as reports state it.</summary>
    public const string Method = "VaR: nearest-rank quantile over paths (the ⌈q·n⌉-th smallest value); CVaR: Acerbi–Tasche expected shortfall (mean of the worst n·(1−q) paths, the boundary path weighted by its fraction)";

    /// <summary>All zero (no paths).</summary>
    public static readonly Tail Zero = new(0, 0, 0, 0, 0, 0);

    /// <summary>The tail of <paramref name="values"/> (order does not matter).</summary>
    public static Tail Of(IEnumerable<double> values)
    {
        double[] v = [.. values];
        if (v.Length == 0)
        {
            return Zero;
        }

        Array.Sort(v);
        double sum = 0;
        foreach (double x in v)
        {
            sum += x;
        }

        return new Tail(
            Round(sum / v.Length), Round(Stats.Quantile(v, 0.95)), Round(ExpectedShortfall(v, 0.95)),
            Round(Stats.Quantile(v, 0.99)), Round(ExpectedShortfall(v, 0.99)), Round(v[^1]));
    }

    /// <summary>This tail divided by <paramref name="book"/> (all zero when there is no book to divide by).</summary>
    public Tail Per(double book) => book > 0
        ? new Tail(Round(Mean / book, 8), Round(Var95 / book, 8), Round(CVar95 / book, 8), Round(Var99 / book, 8), Round(CVar99 / book, 8), Round(Max / book, 8))
        : Zero;

    /// <summary>
    /// Acerbi–Tasche expected shortfall at level <paramref name="q"/> of ascending values: with k = n·(1 − q),
    /// (sum of the ⌊k⌋ largest + (k − ⌊k⌋) × the next largest) / k. The next largest is the nearest-rank VaR,
    /// so the result never falls below it.
    /// </summary>
    public static double ExpectedShortfall(double[] sorted, double q)
    {
        int n = sorted.Length;
        long qb = Stats.Billionths(q);
        long tailB = (1_000_000_000L - qb) * n; // k in billionths, exact
        long whole = tailB / 1_000_000_000L;
        double frac = (tailB % 1_000_000_000L) / 1e9;
        double sum = 0;
        for (int i = 0; i < whole; i++)
        {
            sum += sorted[n - 1 - i];
        }

        if (whole < n && frac > 0)
        {
            sum += frac * sorted[n - 1 - whole];
        }

        return sum / (tailB / 1e9);
    }

    private static double Round(double x, int digits = 4) => Math.Round(x, digits);
}
