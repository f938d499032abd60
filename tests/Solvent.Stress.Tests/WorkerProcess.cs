using System.Diagnostics;
using System.Text;

namespace Solvent.Stress.Tests;

/// <summary>The built <c>solvent stress worker</c> as a child process; killed on dispose.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _output = new();

    public WorkerProcess(string natsUrl, string prefix, double ackWaitSeconds = 30, int concurrency = 1)
    {
        var psi = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "stress", "worker", "--nats", natsUrl, "--nats-prefix", prefix, "--concurrency", $"{concurrency}", "--nats-ack-wait", $"{ackWaitSeconds}" })
        {
            psi.ArgumentList.Add(a);
        }

        _p = Process.Start(psi)!;
        _p.OutputDataReceived += (_, e) => Append(e.Data);
        _p.ErrorDataReceived += (_, e) => Append(e.Data);
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
    }

    public int Id => _p.Id;

    public bool Running => !_p.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>src/Solvent.Cli/bin/&lt;config&gt;/net10.0/solvent of this checkout.</summary>
    public static string Binary()
    {
        string dir = AppContext.BaseDirectory;
        string config = dir.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        while (!File.Exists(Path.Combine(dir, "Solvent.sln")))
        {
            dir = Path.GetDirectoryName(dir.TrimEnd('/'))!;
        }

        string bin = Path.Combine(dir, "src", "Solvent.Cli", "bin", config, "net10.0", "solvent");
        Assert.True(File.Exists(bin), $"{bin} is missing: build src/Solvent.Cli first");
        return bin;
    }

    /// <summary>SIGKILL: no chance to hand its path back.</summary>
    public void Kill()
    {
        _p.Kill(entireProcessTree: true);
        _p.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then the exit code within <paramref name="within"/> (null when it did not exit).</summary>
    public int? Terminate(TimeSpan within)
    {
        Process.Start("kill", ["-TERM", $"{_p.Id}"])!.WaitForExit(5_000);
        if (!_p.WaitForExit(within))
        {
            return null;
        }

        // A timed wait returns at exit, before the redirected output's last lines are delivered; the untimed
        // wait (the process has exited, so it returns at once) also drains them, so Output is complete.
        _p.WaitForExit();
        return _p.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_p.HasExited)
            {
                _p.Kill(entireProcessTree: true);
                _p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _p.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
