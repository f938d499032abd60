using System.Globalization;

namespace Solvent.Sim.Scenarios;

/// <summary>
/// Bounds on the size of a run, the same whether a count comes from the scenario file or the command line:
/// a run outside them would exhaust memory or never finish, so it is refused before any work starts.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>Most Monte Carlo paths in one run (<c>paths</c>, <c>--paths</c>).</summary>
    public const int MaxPaths = 100_000;

    /// <summary>Most generated accounts per venue (<c>population.accounts</c>, <c>--accounts</c>).</summary>
    public const int MaxAccounts = 1_000_000;

    /// <summary>Most steps per path (<c>durationSeconds / stepSeconds</c>).</summary>
    public const int MaxSteps = 200_000;

    /// <summary>Most account-steps in one run (paths × steps × accounts over all venues).</summary>
    public const double MaxWork = 1e12;

    /// <summary>Refuses a path count outside 1..<see cref="MaxPaths"/>; <paramref name="field"/> names where it came from.</summary>
    public static int Paths(int paths, string field) => paths is >= 1 and <= MaxPaths
        ? paths
        : throw new ScenarioException(field, $"must be between 1 and {MaxPaths.ToString("N0", CultureInfo.InvariantCulture)} (got {paths.ToString("N0", CultureInfo.InvariantCulture)})");

    /// <summary>Refuses a run whose paths × steps × accounts exceeds <see cref="MaxWork"/>.</summary>
    public static void Work(int paths, int steps, long accounts)
    {
        double work = (double)paths * steps * Math.Max(1, accounts);
        if (work > MaxWork)
        {
            throw new ScenarioException(
                "--paths",
                string.Create(CultureInfo.InvariantCulture, $"paths × steps × accounts = {paths:N0} × {steps:N0} × {accounts:N0} = {work:E2} exceeds the limit of {MaxWork:E0} account-steps; lower --paths, --accounts or durationSeconds"));
        }
    }
}
