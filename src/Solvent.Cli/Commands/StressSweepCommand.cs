using System.CommandLine;

namespace Solvent.Cli.Commands;

/// <summary>stub</summary>
internal static class StressSweepCommand
{
    public static Command Build() => new("sweep", "todo");
}
