namespace Solvent.Sim.Scenarios;

/// <summary>
/// A one-dimensional distribution from a scenario file: fixed, uniform, log-normal (by median and σ of the
/// log) or piecewise (<see cref="Buckets"/>: a bucket is drawn by its share, then a value uniformly inside
/// it), the form published figures come in ("12% of debt at health factor 1.1–1.25").
/// </summary>
internal sealed record Distribution(string Kind, double A, double B)
{
    /// <summary>Piecewise buckets [min, max) with shares summing to 1 (null for the other kinds).</summary>
    public IReadOnlyList<(double Min, double Max, double Share)>? Buckets { get; init; }

    public static Distribution Fixed(double v) => new("fixed", v, v);

    /// <summary>A piecewise distribution; shares are normalised to sum to 1.</summary>
    public static Distribution Piecewise(IReadOnlyList<(double Min, double Max, double Share)> buckets)
    {
        double total = buckets.Sum(b => b.Share);
        if (!(total > 0))
        {
            throw new ArgumentException("a piecewise distribution needs a bucket with a share", nameof(buckets));
        }

        return new("piecewise", buckets[0].Min, buckets[^1].Max) { Buckets = [.. buckets.Select(b => (b.Min, b.Max, b.Share / total))] };
    }

    public double Sample(Random rng) => Kind switch
    {
        "uniform" => A + ((B - A) * rng.NextDouble()),
        "lognormal" => A * Math.Exp(B * Gaussian.Next(rng)),
        "piecewise" => SamplePiecewise(rng),
        _ => A,
    };

    /// <summary>The same distribution with its location scaled (sweeps move a median or a fixed value).</summary>
    public Distribution Scaled(double f) => Kind switch
    {
        "lognormal" => this with { A = A * f },
        "piecewise" => Piecewise([.. Buckets!.Select(b => (b.Min * f, b.Max * f, b.Share))]),
        _ => new(Kind, A * f, B * f),
    };

    /// <summary>Central value (median for log-normal and piecewise, midpoint for uniform).</summary>
    public double Center => Kind switch
    {
        "uniform" => (A + B) / 2,
        "piecewise" => Quantile(0.5),
        _ => A,
    };

    /// <summary>The q-quantile of a piecewise distribution (linear inside the bucket).</summary>
    public double Quantile(double q)
    {
        if (Buckets is null)
        {
            return A;
        }

        double acc = 0;
        foreach ((double min, double max, double share) in Buckets)
        {
            if (share > 0 && acc + share >= q)
            {
                return min + ((max - min) * (q - acc) / share);
            }

            acc += share;
        }

        return Buckets.Last(b => b.Share > 0).Max;
    }

    private double SamplePiecewise(Random rng)
    {
        // One draw for the bucket and one inside it, so the sequence a seed gives does not depend on bucket count.
        double x = rng.NextDouble(), u = rng.NextDouble();
        IReadOnlyList<(double Min, double Max, double Share)> buckets = Buckets!;
        foreach ((double min, double max, double share) in buckets)
        {
            x -= share;
            if (x < 0)
            {
                return min + ((max - min) * u);
            }
        }

        // Rounding left x at the very top: the last bucket that has a share.
        (double lo, double hi, _) = buckets.Last(b => b.Share > 0);
        return lo + ((hi - lo) * u);
    }
}

/// <summary>Standard normal draws (Box–Muller), from the caller's generator so paths stay reproducible.</summary>
internal static class Gaussian
{
    public static double Next(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
