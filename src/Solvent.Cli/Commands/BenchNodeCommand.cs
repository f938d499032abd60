using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Solvent.Cli.Bench;
using Solvent.Core.Config;
using Solvent.Node.Hosting;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent bench node</c>: sustained signed actions/s and acknowledge latency over loopback HTTP,
/// against a node it starts in-process on a temporary data directory (or an existing one with --url).
/// </summary>
internal static class BenchNodeCommand
{
    public static Command Build()
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent signers (each submits its actions in nonce order)", DefaultValueFactory = _ => 64 };
        var perClient = new Option<int>("--actions-per-client") { Description = "Actions each signer submits", DefaultValueFactory = _ => 300 };
        var blockMs = new Option<int>("--block-ms") { Description = "Block interval of the in-process node, ms", DefaultValueFactory = _ => 5 };
        var url = new Option<string?>("--url") { Description = "Load an already running node instead (its genesis must be the example's unless --genesis is given; start it with --signer-rate 0, or its per-signer limit is what gets measured)" };
        var genesis = new Option<string>("--genesis") { Description = "Genesis file", DefaultValueFactory = _ => BenchCommand.DefaultGenesis() };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var batch = new Option<int>("--batch") { Description = "Actions per request: 1 posts each to /v1/actions; more posts each signer's next actions as one array to /v1/actions/batch", DefaultValueFactory = _ => 1 };
        var replicated = new Option<bool>("--replicated") { Description = "Load the leader of a devnet this command starts (3 nats-servers, 3 validator nodes, one machine) and report validator lag too" };
        var cmd = new Command("node", "Load a node over loopback HTTP with signed deposits: actions/s and p50/p99 acknowledge latency") { clients, perClient, blockMs, url, genesis, json, replicated, batch };
        cmd.SetAction(async (p, ct) =>
        {
            int c = p.GetValue(clients), n = p.GetValue(perClient), b = p.GetValue(batch);
            if (c < 1 || c > 4096 || n < 1 || n > 1_000_000 || b < 1 || b > 4096)
            {
                Console.Error.WriteLine("error: --clients must be 1..4096, --actions-per-client 1..1,000,000 and --batch 1..4096");
                return 2;
            }

            string genesisText = File.ReadAllText(p.GetValue(genesis)!);
            Genesis g = GenesisLoader.Parse(genesisText);
            bool asJson = p.GetValue(json);
            Action<string> progress = m => { if (!asJson) { Console.Error.WriteLine(m + "…"); } };
            NodeLoadResult r;
            if (p.GetValue(replicated))
            {
                return await ReplicatedBench.RunAsync(c, n, b, p.GetValue(blockMs), asJson, progress, ct).ConfigureAwait(false);
            }

            if (p.GetValue(url) is { } target)
            {
                r = await NodeLoad.RunAsync(target, g, c, n, progress, b).ConfigureAwait(false);
            }
            else
            {
                string dir = Path.Combine(Path.GetTempPath(), "solvent-bench-" + Guid.NewGuid().ToString("N"));
                string baseUrl = $"http://127.0.0.1:{FreePort()}";
                var overrides = new Dictionary<string, string?>
                {
                    [$"{NodeHost.Section}:DataDir"] = dir,
                    [$"{NodeHost.Section}:BlockIntervalMs"] = p.GetValue(blockMs).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Logging:LogLevel:Default"] = "Warning",

                    // Each bench signer sends its deposits back to back: the per-signer limit would measure itself, not the node.
                    [$"{NodeHost.Section}:SignerRatePerSecond"] = "0",
                };
                (WebApplication app, NodeRuntime node) = NodeHost.Build(overrides, configure: b =>
                {
                    b.WebHost.UseUrls(baseUrl);
                    b.Logging.SetMinimumLevel(LogLevel.Warning);
                });
                try
                {
                    await app.StartAsync(ct).ConfigureAwait(false);
                    r = await NodeLoad.RunAsync(baseUrl, g, c, n, progress, b).ConfigureAwait(false);
                    r = r with
                    {
                        BlockMeanMs = Math.Round(Solvent.Node.Metrics.NodeMetrics.BlockLatency.Sum * 1000 / Math.Max(1, Solvent.Node.Metrics.NodeMetrics.BlockLatency.Count), 3),
                        FsyncMeanMs = Math.Round(Solvent.Node.Metrics.NodeMetrics.FsyncTime.Sum * 1000 / Math.Max(1, Solvent.Node.Metrics.NodeMetrics.FsyncTime.Count), 3),
                    };
                    await app.StopAsync(ct).ConfigureAwait(false);
                }
                finally
                {
                    await node.DisposeAsync().ConfigureAwait(false);
                    Directory.Delete(dir, recursive: true);
                }
            }

            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(r, EvalCommand.Json));
            }
            else
            {
                Console.WriteLine($"{r.Actions:N0} signed deposits from {r.Clients} clients ({r.Batch} per request) in {r.ElapsedMs} ms over {r.Blocks} blocks: {r.ActionsPerSec:N0} actions/s acknowledged");
                Console.WriteLine($"acknowledge latency p50 {r.AckP50Ms} ms, p99 {r.AckP99Ms} ms, max {r.AckMaxMs} ms; {r.Accepted} accepted, {r.Failed} failed; signing {r.SignPerSec:N0}/s; node's signature back end: {r.SignatureBackend}");
                if (r.BlockMeanMs is { } bm)
                {
                    Console.WriteLine($"per block: {bm} ms cut-to-acknowledge, of which {r.FsyncMeanMs} ms append + fsync");
                }
            }

            return r.Failed == 0 ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>A free loopback TCP port.</summary>
    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
