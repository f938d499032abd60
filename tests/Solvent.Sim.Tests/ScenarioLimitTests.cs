using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>Run sizes beyond the limits are refused before any work, with the same bound from the file or the command line.</summary>
public class ScenarioLimitTests
{
    private const string Flat = """{ "model": "flat" }""";
    private const string Keepers = """{ "count": 1, "latencySeconds": 0, "capitalUsd": 1e6, "minProfitUsd": 0, "gasUsd": 0 }""";

    [Fact]
    public void A_billion_paths_is_refused_from_the_file_and_from_the_command_line()
    {
        ScenarioException file = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(SimScenarios.Json(Flat, Keepers, paths: 1_000_000_000)));
        Assert.Equal("$.paths", file.JsonPath);
        Assert.Contains("100000", file.Message);

        Scenario s = SimScenarios.Parse(SimScenarios.Json(Flat, Keepers, accounts: 10));
        ScenarioException cli = Assert.Throws<ScenarioException>(() => StressRunner.Run(s, 1_000_000_000));
        Assert.Equal("--paths", cli.JsonPath);
        Assert.Contains("100,000", cli.Message);
        Assert.Throws<ScenarioException>(() => StressRunner.Run(s, 0));
        Assert.Throws<ScenarioException>(() => ThresholdSearch.Find(s, "shock", ScenarioLimits.MaxPaths + 1));
    }

    [Fact]
    public void Paths_at_the_limit_pass_the_path_check_and_meet_the_work_cap()
    {
        // 100,000 paths × 72 steps × 400 accounts = 2.9e9 account-steps: within the cap, so only the path count rule applies.
        Assert.Equal(ScenarioLimits.MaxPaths, ScenarioLimits.Paths(ScenarioLimits.MaxPaths, "--paths"));
        ScenarioLimits.Work(ScenarioLimits.MaxPaths, 72, 400);
        ScenarioException e = Assert.Throws<ScenarioException>(() => ScenarioLimits.Work(ScenarioLimits.MaxPaths, ScenarioLimits.MaxSteps, ScenarioLimits.MaxAccounts));
        Assert.Contains("account-steps", e.Message);
    }

    [Fact]
    public void Accounts_are_bounded_the_same_in_the_file_and_on_the_command_line()
    {
        ScenarioException file = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(SimScenarios.Json(Flat, Keepers, accounts: ScenarioLimits.MaxAccounts + 1)));
        Assert.Equal("$.venues[0].population.accounts", file.JsonPath);
        Scenario s = SimScenarios.Parse(SimScenarios.Json(Flat, Keepers, accounts: 10));
        Assert.Equal("--accounts", Assert.Throws<ScenarioException>(() => ScenarioOverrides.WithAccounts(s, ScenarioLimits.MaxAccounts + 1)).JsonPath);
        Assert.NotNull(ScenarioOverrides.WithAccounts(s, ScenarioLimits.MaxAccounts));
    }

    [Fact]
    public void Steps_are_bounded()
    {
        ScenarioException e = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(SimScenarios.Json(Flat, Keepers, step: 1, duration: ScenarioLimits.MaxSteps + 1L)));
        Assert.Equal("$.durationSeconds", e.JsonPath);
        Assert.Equal(ScenarioLimits.MaxSteps, SimScenarios.Parse(SimScenarios.Json(Flat, Keepers, step: 1, duration: ScenarioLimits.MaxSteps)).Steps);
    }
}
