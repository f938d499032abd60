using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Cli.Bench;

/// <summary>Figures of one node load run.</summary>
public sealed record NodeLoadResult(string Target, int Clients, int Actions, int Accepted, int Failed, double SignPerSec, double ActionsPerSec, double AckP50Ms, double AckP99Ms, double AckMaxMs, long Blocks, long ElapsedMs)
{
    /// <summary>Actions per request: 1 posts each to <c>/v1/actions</c>, more posts them as arrays to <c>/v1/actions/batch</c>.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Mean cut-to-acknowledge time of a block (apply + append + fsync), in-process runs only.</summary>
    public double? BlockMeanMs { get; init; }

    /// <summary>Mean append + fsync time of a block, in-process runs only.</summary>
    public double? FsyncMeanMs { get; init; }

    /// <summary>The node's secp256k1 back end (<c>libsecp256k1</c> or <c>bouncycastle</c>), from its <c>/metrics</c>; "unknown" when it does not say.</summary>
    public string SignatureBackend { get; init; } = "unknown";
}

/// <summary>
/// Load generator for a node over HTTP: <c>clients</c> signers, each submitting its pre-signed deposits
/// one after another (a signer's nonces must arrive in order), all signers at once. Measures sustained
/// acknowledged actions per second and the submit-to-acknowledge latency (block cut + apply + fsync).
/// With a batch size above 1 each signer posts its next actions as one array to <c>/v1/actions/batch</c>,
/// and each action's latency is that of its request.
/// </summary>
public static class NodeLoad
{
    /// <summary>Runs the load against <paramref name="baseUrl"/>.</summary>
    public static async Task<NodeLoadResult> RunAsync(string baseUrl, Genesis genesis, int clients, int actionsPerClient, Action<string> progress, int batch = 1)
    {
        var domain = Eip712Domain.FromGenesis(genesis);
        int asset = genesis.QuoteAsset;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

        // Each run uses fresh signers so it can target a node that has seen earlier runs.
        string run = Guid.NewGuid().ToString("N")[..8];
        var signers = new ActionSigner[clients];
        for (int c = 0; c < clients; c++)
        {
            signers[c] = ActionSigner.FromSeed($"bench-{run}-{c}", domain);
        }

        // Two requests per signer go first, unmeasured: JIT, connections and the thread pool's growth
        // belong to the start, not to the sustained rate.
        int warm = 2 * batch, total = warm + actionsPerClient;
        progress($"signing {clients * total:N0} actions");
        var bodies = new byte[clients][][];
        var sign = Stopwatch.StartNew();
        Parallel.For(0, clients, c =>
        {
            ActionSigner s = signers[c];
            bodies[c] = new byte[total][];
            for (int i = 0; i < total; i++)
            {
                var deposit = new Deposit(s.Address, new AccountKey(s.Address, 0), asset, 1_000 + i);
                bodies[c][i] = System.Text.Encoding.UTF8.GetBytes(s.Sign(deposit, (ulong)i));
            }
        });
        double signPerSec = clients * total / sign.Elapsed.TotalSeconds;

        var latencies = new double[clients * actionsPerClient];
        int accepted = 0, failed = 0;
        progress($"warming up with {clients * warm:N0} actions");
        await SubmitAsync(0, warm, measure: false).ConfigureAwait(false);
        if (failed > 0)
        {
            progress($"{failed} warm-up actions failed");
        }

        accepted = failed = 0;
        long startHeight = await HeightAsync(http).ConfigureAwait(false);
        progress($"submitting from {clients} clients");
        var wall = Stopwatch.StartNew();
        await SubmitAsync(warm, total, measure: true).ConfigureAwait(false);
        wall.Stop();
        long blocks = await HeightAsync(http).ConfigureAwait(false) - startHeight;
        Array.Sort(latencies);
        int n = latencies.Length;
        return new NodeLoadResult(
            baseUrl, clients, n, accepted, failed, Math.Round(signPerSec), Math.Round(n / wall.Elapsed.TotalSeconds),
            Math.Round(latencies[n / 2], 2), Math.Round(latencies[Math.Min(n - 1, (int)(n * 0.99))], 2), Math.Round(latencies[n - 1], 2), blocks, wall.ElapsedMilliseconds)
        {
            SignatureBackend = await BackendAsync(http).ConfigureAwait(false),
            Batch = batch,
        };

        // Each signer posts its actions [from, to) in nonce order, one request (of up to batch actions) at a time.
        Task SubmitAsync(int from, int to, bool measure) =>
            Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (c, ct) =>
            {
                for (int i = from; i < to; i += batch)
                {
                    int count = Math.Min(batch, to - i);
                    using var content = new ByteArrayContent(batch == 1 ? bodies[c][i] : ArrayOf(bodies[c], i, count));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    long t0 = Stopwatch.GetTimestamp();
                    using HttpResponseMessage r = await http.PostAsync(batch == 1 ? "/v1/actions" : "/v1/actions/batch", content, ct).ConfigureAwait(false);
                    int ok = r.StatusCode != HttpStatusCode.OK ? 0 : batch == 1 ? 1 : await AcceptedAsync(r, ct).ConfigureAwait(false);
                    double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (measure)
                    {
                        latencies.AsSpan((c * actionsPerClient) + i - from, count).Fill(ms);
                    }

                    Interlocked.Add(ref accepted, ok);
                    Interlocked.Add(ref failed, count - ok);
                }
            });
    }

    // A JSON array of already signed bodies, as the batch endpoint takes it.
    private static byte[] ArrayOf(byte[][] bodies, int from, int count)
    {
        int size = 1 + count;
        for (int k = 0; k < count; k++)
        {
            size += bodies[from + k].Length;
        }

        byte[] a = new byte[size];
        a[0] = (byte)'[';
        int at = 1;
        for (int k = 0; k < count; k++)
        {
            bodies[from + k].CopyTo(a, at);
            at += bodies[from + k].Length;
            a[at++] = (byte)(k == count - 1 ? ']' : ',');
        }

        return a;
    }

    // Elements of a batch answer with status 200.
    private static async Task<int> AcceptedAsync(HttpResponseMessage r, CancellationToken ct)
    {
        using JsonDocument d = await JsonDocument.ParseAsync(await r.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
        int ok = 0;
        foreach (JsonElement item in d.RootElement.GetProperty("results").EnumerateArray())
        {
            ok += item.GetProperty("status").GetInt32() == 200 ? 1 : 0;
        }

        return ok;
    }

    /// <summary>The back end a node reports as <c>solvent_signature_backend{backend="…"} 1</c> in its metrics.</summary>
    private static async Task<string> BackendAsync(HttpClient http)
    {
        const string Prefix = "solvent_signature_backend{backend=\"";
        try
        {
            foreach (string line in (await http.GetStringAsync("/metrics").ConfigureAwait(false)).Split('\n'))
            {
                if (line.StartsWith(Prefix, StringComparison.Ordinal) && line.EndsWith("} 1", StringComparison.Ordinal))
                {
                    return line[Prefix.Length..line.IndexOf('"', Prefix.Length)];
                }
            }
        }
        catch (HttpRequestException)
        {
            // An older node without /metrics: say so rather than guess.
        }

        return "unknown";
    }

    private static async Task<long> HeightAsync(HttpClient http)
    {
        using JsonDocument d = JsonDocument.Parse(await http.GetStringAsync("/v1/health").ConfigureAwait(false));
        return d.RootElement.GetProperty("height").GetInt64();
    }
}
