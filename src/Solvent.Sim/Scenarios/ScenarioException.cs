namespace Solvent.Sim.Scenarios;

/// <summary>A scenario file that cannot be run: <see cref="JsonPath"/> names the offending field (e.g. <c>$.keepers.count</c>).</summary>
public sealed class ScenarioException(string jsonPath, string message) : Exception($"{jsonPath}: {message}")
{
    /// <summary>JSON path of the offending field.</summary>
    public string JsonPath { get; } = jsonPath;
}
