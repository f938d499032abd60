using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Hosting;

namespace Solvent.Replication.Tests;

/// <summary>
/// A NATS cluster plus replicated nodes as processes, all on 127.0.0.1 in one temporary directory. Node i is
/// a validator with key keccak("validator-i"); the genesis names the validators with threshold 2.
/// </summary>
public sealed class ReplicatedCluster : IDisposable
{
    public const int LeaseMs = 1500;

    /// <summary>Commitment interval of the bridged genesis <see cref="StartAsync"/> writes with <c>settlement: true</c>.</summary>
    public const int CommitEveryBlocks = 4;

    private ReplicatedCluster(NatsCluster nats, string dir, int nodes, IDictionary<string, string>? leaderEnv, bool settlement)
    {
        Nats = nats;
        Dir = dir;
        Keys = [.. Enumerable.Range(0, nodes).Select(i => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes($"validator-{i}")))];
        Validators = [.. Keys.Select(k => Secp256k1.AddressOf(k))];
        JsonNode g = JsonNode.Parse(NodeOptions.ExampleGenesis())!;
        var validators = new JsonArray([.. Validators.Select(v => (JsonNode)JsonValue.Create(v.ToString())!)]);
        if (settlement)
        {
            // A bridged venue whose settlement validators are the replicas (no vault chain RPC: commitments only).
            g["settlement"] = JsonNode.Parse($$"""
                { "custody": "bridged", "threshold": 2, "forcedDeadlineSeconds": 60, "commitEveryBlocks": {{CommitEveryBlocks}},
                  "chains": [ { "chainId": 31337, "vault": "0x00000000000000000000000000000000000a0000", "confirmations": 2,
                                "tokens": [ { "asset": "USDC", "token": "0x00000000000000000000000000000000000a0001" } ] } ] }
                """);
            g["settlement"]!["validators"] = validators;
        }
        else
        {
            g["replication"] = new JsonObject { ["validators"] = validators, ["threshold"] = 2 };
        }

        GenesisFile = Path.Combine(dir, "genesis.json");
        File.WriteAllText(GenesisFile, g.ToJsonString());
        for (int i = 0; i < nodes; i++)
        {
            string key = Path.Combine(dir, $"v{i}.key");
            File.WriteAllText(key, Convert.ToHexString(Keys[i]));
            string url = $"http://127.0.0.1:{NatsCluster.FreePort()}";
            string[] args = ["--genesis", GenesisFile, "--nats", nats.Urls, "--validator", "--key", key, "--block-ms", "2", "--snapshot-every", "50", "--lease-ms", LeaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--signer-rate", "0"];
            Nodes.Add(new ReplicaProcess(Path.Combine(dir, $"node{i}"), url, args, i == 0 ? leaderEnv : null));
        }
    }

    public NatsCluster Nats { get; }

    public string Dir { get; }

    public string GenesisFile { get; }

    public byte[][] Keys { get; }

    public Address[] Validators { get; }

    public List<ReplicaProcess> Nodes { get; } = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Starts NATS and the nodes (node 0 first, so it leads); null when nats-server is not installed.</summary>
    public static async Task<ReplicatedCluster?> StartAsync(int nodes = 3, IDictionary<string, string>? leaderEnv = null, bool settlement = false)
    {
        if (NatsCluster.Start() is not { } nats)
        {
            return null;
        }

        var c = new ReplicatedCluster(nats, nats.Dir, nodes, leaderEnv, settlement);
        try
        {
            c.Nodes[0].Start();
            await c.Nodes[0].WaitHealthyAsync(c.Http, TimeSpan.FromSeconds(90));
            await c.LeaderAsync(TimeSpan.FromSeconds(60));
            foreach (ReplicaProcess n in c.Nodes.Skip(1))
            {
                n.Start();
            }

            foreach (ReplicaProcess n in c.Nodes.Skip(1))
            {
                await n.WaitHealthyAsync(c.Http, TimeSpan.FromSeconds(90));
            }
        }
        catch
        {
            c.Dispose();
            throw;
        }

        return c;
    }

    /// <summary>The running node that reports itself leader, waiting up to <paramref name="within"/>.</summary>
    public async Task<ReplicaProcess> LeaderAsync(TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            foreach (ReplicaProcess n in Nodes.Where(n => n.Running))
            {
                if (await n.FinalityAsync(Http) is { } f && f.GetProperty("role").GetString() == "leader")
                {
                    return n;
                }
            }

            Assert.True(sw.Elapsed < within, "no leader elected:\n" + string.Join("\n----\n", Nodes.Select(n => n.Url + "\n" + Replication(n.Output))));
            await Task.Delay(50);
        }
    }

    /// <summary>The replication lines of a node's output (role changes and why), without request logs.</summary>
    public static string Replication(string output) => string.Join("\n", output.Split('\n').Where(l =>
        l.Contains("lease", StringComparison.Ordinal) || l.Contains("stepping", StringComparison.Ordinal) || l.Contains("stopped", StringComparison.Ordinal)
        || l.Contains("recovered height", StringComparison.Ordinal) || l.Contains("again", StringComparison.Ordinal) || l.Contains("diverge", StringComparison.Ordinal)
        || l.Contains("rebuild", StringComparison.Ordinal) || l.Contains("majority", StringComparison.Ordinal)).TakeLast(60));

    /// <summary>Waits until every running node is at the same height ≥ <paramref name="atLeast"/>; returns (height, state root).</summary>
    public async Task<(long Height, string Root)> ConvergedAsync(long atLeast, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var heads = new List<(long, string)>();
            foreach (ReplicaProcess n in Nodes.Where(n => n.Running))
            {
                try
                {
                    using JsonDocument h = JsonDocument.Parse(await Http.GetStringAsync(n.Url + "/v1/health"));
                    heads.Add((h.RootElement.GetProperty("height").GetInt64(), h.RootElement.GetProperty("stateRoot").GetString()!));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    heads.Add((-1, ""));
                }
            }

            if (heads.Count > 0 && heads.All(x => x == heads[0]) && heads[0].Item1 >= atLeast)
            {
                return heads[0];
            }

            Assert.True(sw.Elapsed < within, $"nodes did not converge: {string.Join(", ", heads)}\n" + string.Join("\n----\n", Nodes.Select(n => n.Output[^Math.Min(3000, n.Output.Length)..])));
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        foreach (ReplicaProcess n in Nodes)
        {
            n.Dispose();
        }

        Http.Dispose();
        Nats.Dispose();
    }
}
