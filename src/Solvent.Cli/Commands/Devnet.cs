using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Solvent.Crypto;
using Solvent.Node.Dev;
using Solvent.Node.Hosting;

namespace Solvent.Cli.Commands;

/// <summary>
/// A local replicated deployment: three <c>nats-server</c> processes forming a JetStream cluster and three
/// <c>solvent node --nats … --validator</c> processes on 127.0.0.1, each with its own data directory under one
/// folder. Validator keys are public demo seeds (keccak256("devnet-validator-N")); the genesis is the dev
/// chain's with those three validators and threshold 2.
/// </summary>
internal sealed class Devnet : IAsyncDisposable
{
    private readonly List<Process> _children = [];

    private Devnet(string dir) => Dir = dir;

    public string Dir { get; }

    public string NatsUrls { get; private set; } = "";

    public IReadOnlyList<string> NodeUrls { get; private set; } = [];

    public string GenesisFile => Path.Combine(Dir, "genesis.json");

    public static byte[] ValidatorKey(int i) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes($"devnet-validator-{i}"));

    /// <summary>Starts the servers and nodes; <paramref name="natsPorts"/>/<paramref name="nodePorts"/> null picks free ports.</summary>
    public static async Task<Devnet> StartAsync(string dir, int[]? natsPorts, int[]? nodePorts, string[] nodeArgs, Action<string> say, CancellationToken ct)
    {
        string nats = FindNatsServer() ?? throw new InvalidOperationException("nats-server is not installed (Debian: apt-get install nats-server)");
        Directory.CreateDirectory(dir);
        var d = new Devnet(dir);
        try
        {
            int[] client = natsPorts ?? [.. Enumerable.Range(0, 3).Select(_ => BenchNodeCommand.FreePort())];
            int[] route = natsPorts is null ? [.. Enumerable.Range(0, 3).Select(_ => BenchNodeCommand.FreePort())] : [.. natsPorts.Select(p => p + 2000)];
            int[] api = nodePorts ?? [.. Enumerable.Range(0, 3).Select(_ => BenchNodeCommand.FreePort())];
            string routes = string.Join(", ", route.Select(p => $"nats-route://127.0.0.1:{p}"));
            for (int i = 0; i < 3; i++)
            {
                string conf = Path.Combine(dir, $"nats{i}.conf");
                File.WriteAllText(conf, $$"""
                    server_name: n{{i}}
                    listen: 127.0.0.1:{{client[i]}}
                    jetstream { store_dir: "{{Path.GetFullPath(Path.Combine(dir, $"nats{i}"))}}" }
                    cluster { name: solvent-devnet, listen: 127.0.0.1:{{route[i]}}, routes: [{{routes}}] }
                    """);
                d.Spawn(nats, ["-c", conf], Path.Combine(dir, $"nats{i}.log"), null);
            }

            d.NatsUrls = string.Join(",", client.Select(p => $"nats://127.0.0.1:{p}"));
            d.WriteGenesis();
            d.NodeUrls = [.. api.Select(p => $"http://127.0.0.1:{p}")];
            for (int i = 0; i < 3; i++)
            {
                string key = Path.Combine(dir, $"validator{i}.key");
                File.WriteAllText(key, Convert.ToHexStringLower(ValidatorKey(i)));
                string[] args =
                [
                    "node", "--data-dir", Path.Combine(dir, $"node{i}"), "--urls", d.NodeUrls[i], "--genesis", d.GenesisFile, "--dev",
                    "--nats", d.NatsUrls, "--validator", "--key", key, .. nodeArgs,
                ];
                d.Spawn(Environment.ProcessPath!, args, Path.Combine(dir, $"node{i}.log"), new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
                if (i == 0)
                {
                    // The first node takes the lease, so the devnet starts with a predictable leader.
                    await d.LeaderAsync(TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
                }
            }

            foreach (string u in d.NodeUrls)
            {
                await WaitUpAsync(u, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
            }

            say($"devnet: NATS {d.NatsUrls}; nodes {string.Join(", ", d.NodeUrls)}; logs and data in {Path.GetFullPath(dir)}");
            return d;
        }
        catch
        {
            await d.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The URL of the node that reports itself leader.</summary>
    public async Task<string> LeaderAsync(TimeSpan within, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sw = Stopwatch.StartNew();
        while (true)
        {
            foreach (string u in NodeUrls)
            {
                try
                {
                    using JsonDocument f = JsonDocument.Parse(await http.GetStringAsync(u + "/v1/finality", ct).ConfigureAwait(false));
                    if (f.RootElement.GetProperty("role").GetString() == "leader")
                    {
                        return u;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    // Not up yet.
                }
            }

            if (_children.Any(c => c.HasExited))
            {
                throw new InvalidOperationException($"a devnet process exited; see the logs in {Path.GetFullPath(Dir)}");
            }

            if (sw.Elapsed > within)
            {
                throw new TimeoutException($"no leader after {within.TotalSeconds} s; see the logs in {Path.GetFullPath(Dir)}");
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    private static async Task WaitUpAsync(string url, TimeSpan within, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using HttpResponseMessage r = await http.GetAsync(url + "/v1/finality", ct).ConfigureAwait(false);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (sw.Elapsed > within)
            {
                throw new TimeoutException($"{url} did not come up in {within.TotalSeconds} s");
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    private void WriteGenesis()
    {
        string example = NodeOptions.ExampleGenesis();
        var domain = Eip712Domain.FromGenesis(Core.Config.GenesisLoader.Parse(example));
        string dev = DevKeys.DevGenesis(example, new DevKeys(domain).Governance.Address.ToString());
        JsonNode g = JsonNode.Parse(dev)!;
        g["replication"] = new JsonObject
        {
            ["validators"] = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)JsonValue.Create(Secp256k1.AddressOf(ValidatorKey(i)).ToString())!)]),
            ["threshold"] = 2,
        };
        string text = g.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        if (!File.Exists(GenesisFile) || File.ReadAllText(GenesisFile) != text)
        {
            File.WriteAllText(GenesisFile, text);
        }
    }

    private void Spawn(string file, string[] args, string log, IDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach ((string k, string v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        Process p = Process.Start(psi)!;
        var sink = new StreamWriter(log, append: true) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => Write(sink, e.Data);
        p.ErrorDataReceived += (_, e) => Write(sink, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _children.Add(p);
    }

    private static void Write(StreamWriter w, string? line)
    {
        if (line is not null)
        {
            lock (w)
            {
                w.WriteLine(line);
            }
        }
    }

    internal static string? FindNatsServer()
    {
        string[] dirs = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'), "/usr/sbin", "/usr/bin", "/usr/local/bin"];
        return dirs.Where(d => d.Length > 0).Select(d => Path.Combine(d, "nats-server")).FirstOrDefault(File.Exists);
    }

    /// <summary>Stops the nodes first (they may still publish), then the servers.</summary>
    public async ValueTask DisposeAsync()
    {
        for (int i = _children.Count - 1; i >= 0; i--)
        {
            Process p = _children[i];
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // Already gone or stuck; nothing more to do.
            }

            p.Dispose();
        }
    }
}
