using System.CommandLine;

namespace Solvent.Cli.Commands;

/// <summary>stub</summary>
internal static class StressCalibrateCommand
{
    public static Command Build() => new("calibrate", "todo");
}
