using System.CommandLine;
using Solvent.Sim.Scenarios;
using Spectre.Console;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent stress run|threshold|sweep|calibrate</c>: the risk simulator driving the real engine (docs/stress.md).</summary>
internal static class StressCommand
{
    public static Command Build()
    {
        var cmd = new Command("stress", "Stress-test a venue: historical, shock and Monte Carlo scenarios driving the real engine");
        cmd.Subcommands.Add(StressRunCommand.Build());
        cmd.Subcommands.Add(StressThresholdCommand.Build());
        cmd.Subcommands.Add(StressSweepCommand.Build());
        cmd.Subcommands.Add(StressCalibrateCommand.Build());
        cmd.Subcommands.Add(StressWorkerCommand.Build());
        return cmd;
    }

    /// <summary>Runs a command body; bad input becomes "error: PATH: message" and exit code 2, never a stack trace.</summary>
    internal static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ScenarioException e)
        {
            Console.Error.WriteLine($"error: {e.JsonPath}: {e.Message[(e.JsonPath.Length + 2)..]}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fault of the simulator itself, not of the input: one line, and a distinct exit code.
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            return 70;
        }
    }

    /// <summary>Runs paths with a Spectre progress bar unless output is JSON or redirected.</summary>
    internal static T WithProgress<T>(bool quiet, string label, int total, Func<Action<int>, T> work)
    {
        if (quiet || Console.IsOutputRedirected || total < 2)
        {
            return work(_ => { });
        }

        T result = default!;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask(label, maxValue: total);
            result = work(_ => task.Increment(1));
        });
        return result;
    }

    internal static void WriteOut(string? dir, string name, string text)
    {
        if (dir is null)
        {
            return;
        }

        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name), text);
    }
}
