using System.Globalization;
using System.Text.Json;
using Solvent.Cli.Bench;
using Solvent.Core.Config;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent bench node --replicated</c>: the node load against a devnet's leader, plus how far validators trail it.</summary>
internal static class ReplicatedBench
{
    /// <summary>The figures: the load's and the followers' lag.</summary>
    /// <param name="Load">Acknowledged actions/s and latency at the leader.</param>
    /// <param name="LagP50Ms">Median time from the stream storing a block to a follower having applied and logged it.</param>
    /// <param name="LagP99Ms">Its 99th percentile (upper bound of the histogram bucket).</param>
    /// <param name="PublishP50Ms">Median publish-to-acknowledgement time of a block on the R3 stream at the leader.</param>
    /// <param name="PublishP99Ms">Its 99th percentile (bucket upper bound).</param>
    public sealed record Result(NodeLoadResult Load, double LagP50Ms, double LagP99Ms, double PublishP50Ms, double PublishP99Ms);

    public static async Task<int> RunAsync(int clients, int perClient, int batch, int blockMs, bool asJson, Action<string> progress, CancellationToken ct)
    {
        if (Devnet.FindNatsServer() is null)
        {
            Console.Error.WriteLine("error: nats-server is not installed (Debian: apt-get install nats-server)");
            return 2;
        }

        string dir = Path.Combine(Path.GetTempPath(), "solvent-bench-devnet-" + Guid.NewGuid().ToString("N"));
        try
        {
            progress("starting 3 nats-servers and 3 validator nodes");
            Result r;
            await using (Devnet d = await Devnet.StartAsync(dir, null, null, ["--block-ms", blockMs.ToString(CultureInfo.InvariantCulture), "--signer-rate", "0"], progress, ct).ConfigureAwait(false))
            {
                string leader = await d.LeaderAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                Genesis g = GenesisLoader.Parse(File.ReadAllText(d.GenesisFile));
                NodeLoadResult load = await NodeLoad.RunAsync(leader, g, clients, perClient, progress, batch).ConfigureAwait(false);
                await Task.Delay(500, ct).ConfigureAwait(false);
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var lag = new SortedDictionary<double, double>();
                var publish = new SortedDictionary<double, double>();
                foreach (string u in d.NodeUrls)
                {
                    string metrics = await http.GetStringAsync(u + "/metrics", ct).ConfigureAwait(false);
                    Add(lag, metrics, "solvent_validator_lag_seconds_bucket");
                    Add(publish, metrics, "solvent_replication_publish_seconds_bucket");
                }

                r = new Result(load, Quantile(lag, 0.5), Quantile(lag, 0.99), Quantile(publish, 0.5), Quantile(publish, 0.99));
            }

            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(r, EvalCommand.Json));
            }
            else
            {
                NodeLoadResult l = r.Load;
                Console.WriteLine($"replicated (3 nats-servers R3, 3 validator nodes, one machine): {l.Actions:N0} signed deposits from {l.Clients} clients ({l.Batch} per request) in {l.ElapsedMs} ms over {l.Blocks} blocks: {l.ActionsPerSec:N0} actions/s acknowledged");
                Console.WriteLine($"acknowledge latency p50 {l.AckP50Ms} ms, p99 {l.AckP99Ms} ms, max {l.AckMaxMs} ms; {l.Accepted} accepted, {l.Failed} failed");
                Console.WriteLine($"block publish to the stream p50 ≤ {r.PublishP50Ms} ms, p99 ≤ {r.PublishP99Ms} ms; validator lag (stream-stored to applied) p50 ≤ {r.LagP50Ms} ms, p99 ≤ {r.LagP99Ms} ms (histogram bucket bounds)");
            }

            return r.Load.Failed == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A server may still hold a file for a moment; the temporary folder is left behind.
            }
        }
    }

    // Prometheus histogram buckets are cumulative: le="x" → count of observations ≤ x, summed over nodes.
    private static void Add(SortedDictionary<double, double> into, string metrics, string name)
    {
        foreach (string line in metrics.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            int le = line.IndexOf("le=\"", StringComparison.Ordinal);
            int end = le < 0 ? -1 : line.IndexOf('"', le + 4);
            if (end < 0)
            {
                continue;
            }

            string bound = line[(le + 4)..end];
            double b = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            double count = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            into[b] = into.GetValueOrDefault(b) + count;
        }
    }

    private static double Quantile(SortedDictionary<double, double> buckets, double q)
    {
        if (buckets.Count == 0)
        {
            return 0;
        }

        double total = buckets.Last().Value;
        foreach ((double bound, double count) in buckets)
        {
            if (count >= q * total)
            {
                return double.IsInfinity(bound) ? double.NaN : Math.Round(bound * 1000, 3);
            }
        }

        return double.NaN;
    }
}
