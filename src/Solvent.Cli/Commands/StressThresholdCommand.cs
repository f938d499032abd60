using System.CommandLine;

namespace Solvent.Cli.Commands;

/// <summary>stub</summary>
internal static class StressThresholdCommand
{
    public static Command Build() => new("threshold", "todo");
}
