using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Solvent.Replication.Tests;

/// <summary>The built <c>solvent node --nats …</c> run as a child process (killable, stoppable).</summary>
public sealed class ReplicaProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _p;

    public ReplicaProcess(string dataDir, string url, string[] args, IDictionary<string, string>? env = null)
    {
        DataDir = dataDir;
        Url = url;
        Args = args;
        Env = env ?? new Dictionary<string, string>();
    }

    public string DataDir { get; }

    public string Url { get; }

    public string[] Args { get; }

    public IDictionary<string, string> Env { get; }

    public int Pid => _p?.Id ?? 0;

    /// <summary>Whether the node process runs; safe to ask from the load's threads while another kills it.</summary>
    public bool Running
    {
        get
        {
            Process? p = Volatile.Read(ref _p);
            try
            {
                return p is { HasExited: false };
            }
            catch (InvalidOperationException)
            {
                // Killed and disposed by another thread between the read and the question.
                return false;
            }
        }
    }

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

    public void Start()
    {
        var psi = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "node", "--data-dir", DataDir, "--urls", Url }.Concat(Args))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_TieredCompilation"] = "1";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        foreach ((string k, string v) in Env)
        {
            psi.Environment[k] = v;
        }

        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _p = p;
    }

    public async Task WaitHealthyAsync(HttpClient http, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(Running, "node exited:\n" + Output);
            Assert.True(sw.Elapsed < within, "node did not come up:\n" + Output);
            try
            {
                using HttpResponseMessage r = await http.GetAsync(Url + "/v1/finality");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }
    }

    public async Task<JsonElement?> FinalityAsync(HttpClient http)
    {
        try
        {
            using HttpResponseMessage r = await http.GetAsync(Url + "/v1/finality");
            return r.IsSuccessStatusCode ? JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public void Kill()
    {
        if (_p is { } p)
        {
            try
            {
                p.Kill(true);
                p.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }

            Volatile.Write(ref _p, null);
            p.Dispose();
        }
    }

    public void Signal(int sig)
    {
        Assert.Equal(0, Kill(Pid, sig));
    }

    public void Dispose()
    {
        if (_p is { } p && !p.HasExited)
        {
            Signal(18); // SIGCONT, in case a test left it stopped
        }

        Kill();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);

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
