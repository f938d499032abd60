using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Solvent.Node.Tests;

/// <summary>The built <c>solvent</c> executable run as a child process.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process p, string url)
    {
        _p = p;
        Url = url;
    }

    public string Url { get; }

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

    public static ProcessStartInfo Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Start-up speed matters more than peak speed here (the shipped binary compiles fully optimised up front).
        psi.Environment["DOTNET_TieredCompilation"] = "1";
        return psi;
    }

    /// <summary>Starts a node on <paramref name="dataDir"/>, with more command-line arguments and environment (configuration keys) when given.</summary>
    public static async Task<NodeProcess> StartNodeAsync(string dataDir, HttpClient http, string[]? args = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        ProcessStartInfo psi = Start(["node", "--data-dir", dataDir, "--urls", url, "--block-ms", "2", "--snapshot-every", "4", .. args ?? []]);
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        Process p = Process.Start(psi)!;
        var node = new NodeProcess(p, url);
        p.OutputDataReceived += (_, e) => node.Append(e.Data);
        p.ErrorDataReceived += (_, e) => node.Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(p.HasExited, "node exited at start:\n" + node.Output);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "node did not come up:\n" + node.Output);
            try
            {
                using HttpResponseMessage r = await http.GetAsync(url + "/v1/health");
                if (r.IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }
    }

    public static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using Process p = Process.Start(Start(args))!;
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o + await e);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _p.Kill(entireProcessTree: true);
        _p.WaitForExit();
    }

    public void Dispose()
    {
        if (!_p.HasExited)
        {
            Kill();
        }

        _p.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
