namespace Solvent.Sim.Scenarios;

/// <summary>A one-dimensional distribution from a scenario file: fixed, uniform or log-normal (by median and σ of the log).</summary>
internal sealed record Distribution(string Kind, double A, double B)
{
    public static Distribution Fixed(double v) => new("fixed", v, v);

    public double Sample(Random rng) => Kind switch
    {
        "uniform" => A + ((B - A) * rng.NextDouble()),
        "lognormal" => A * Math.Exp(B * Gaussian.Next(rng)),
        _ => A,
    };

    /// <summary>The same distribution with its location scaled (sweeps move a median or a fixed value).</summary>
    public Distribution Scaled(double f) => Kind == "lognormal" ? this with { A = A * f } : new(Kind, A * f, B * f);

    /// <summary>Central value (median for log-normal, midpoint for uniform).</summary>
    public double Center => Kind == "uniform" ? (A + B) / 2 : A;
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
