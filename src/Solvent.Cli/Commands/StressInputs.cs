using System.CommandLine;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Cli.Commands;

/// <summary>
/// The arguments every stress command shares — scenario file, <c>--out</c>, <c>--json</c>, <c>--paths</c>,
/// <c>--accounts</c> — and how they turn into a loaded scenario and a path count.
/// </summary>
internal sealed class StressInputs
{
    private readonly Argument<string> _scenario = new("scenario") { Description = "Scenario file (scenarios/*.json)" };
    private readonly Option<string?> _out = new("--out") { Description = "Write summary.json, report.html, series.csv and PNG charts here" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the summary as JSON on stdout" };
    private readonly Option<int?> _paths = new("--paths") { Description = "Monte Carlo paths (default: the scenario's)" };
    private readonly Option<int?> _accounts = new("--accounts") { Description = "Override every venue's population size" };

    /// <summary>A command with the shared arguments already added.</summary>
    public Command Command(string name, string description) => new(name, description) { _scenario, _out, _json, _paths, _accounts };

    /// <summary>The scenario, with <c>--accounts</c> applied.</summary>
    public Scenario Load(ParseResult p)
    {
        Scenario s = ScenarioLoader.Load(p.GetValue(_scenario)!);
        return p.GetValue(_accounts) is { } n ? ScenarioOverrides.WithAccounts(s, n) : s;
    }

    /// <summary><c>--paths</c>, else <paramref name="fallback"/>; within <see cref="ScenarioLimits.MaxPaths"/>.</summary>
    public int Paths(ParseResult p, int fallback) =>
        p.GetValue(_paths) is { } n ? ScenarioLimits.Paths(n, "--paths") : ScenarioLimits.Paths(fallback, "$.paths");

    /// <summary>The scenario file as given.</summary>
    public string ScenarioPath(ParseResult p) => p.GetValue(_scenario)!;

    /// <summary>The <c>--accounts</c> override, if any.</summary>
    public int? Accounts(ParseResult p) => p.GetValue(_accounts);

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json(ParseResult p) => p.GetValue(_json);

    /// <summary>The <c>--out</c> directory, if any.</summary>
    public string? OutDir(ParseResult p) => p.GetValue(_out);
}
