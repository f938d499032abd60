namespace Solvent.Sim.Running;

/// <summary>A share of independent observations with its Wilson score 95% interval.</summary>
/// <param name="Observations">Independent observations (paths with distinct price paths; replays of one price path count once).</param>
/// <param name="Hits">Observations with the property (a fraction when replays of one price path disagree: their mean).</param>
/// <param name="Share">Hits / observations.</param>
/// <param name="Low95">Lower end of the Wilson score interval.</param>
/// <param name="High95">Upper end.</param>
public sealed record ShareInterval(int Observations, double Hits, double Share, double Low95, double High95)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Wilson score interval for <paramref name="hits"/> of <paramref name="n"/>; never zero-width for finite
    /// n (0 of 1 gives 0–0.79), and [0, 1] for no observations.
    /// </summary>
    public static ShareInterval Wilson(double hits, int n, double z = Z95)
    {
        if (n <= 0)
        {
            return new ShareInterval(0, 0, 0, 0, 1);
        }

        double p = hits / n, z2 = z * z;
        double denom = 1 + (z2 / n);
        double centre = (p + (z2 / (2 * n))) / denom;
        double half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / denom;
        return new ShareInterval(n, Math.Round(hits, 6), Math.Round(p, 6), Math.Round(Math.Max(0, centre - half), 6), Math.Round(Math.Min(1, centre + half), 6));
    }
}
