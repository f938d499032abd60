using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Replication.Tests;

/// <summary>
/// Clients sending signed deposits to whichever node leads. Deposit n of a signer is n + 1 raw USDC, so a
/// node's balance for a signer must be exactly Σ (k + 1) over its consumed nonces: a lost acknowledged
/// action or a doubled one shows. An unanswered action is resubmitted with the same nonce; a NONCE_REPLAYED
/// answer to a resubmission means the first attempt was sequenced after all.
/// </summary>
public sealed class SignedLoad
{
    private readonly ReplicatedCluster _cluster;
    private readonly ActionSigner[] _signers;
    private readonly ulong[] _next;
    private readonly ulong[] _ackedNext;
    private readonly int _usdc;
    private readonly List<double> _latencyMs = [];
    private string _leader = "";

    public SignedLoad(ReplicatedCluster cluster, int clients, string tag)
    {
        _cluster = cluster;
        Genesis g = GenesisLoader.Parse(File.ReadAllText(cluster.GenesisFile));
        var domain = Eip712Domain.FromGenesis(g);
        _usdc = g.FindAsset("USDC");
        _signers = [.. Enumerable.Range(0, clients).Select(i => ActionSigner.FromSeed($"{tag}-{i}", domain))];
        _next = new ulong[clients];
        _ackedNext = new ulong[clients];
    }

    public long Acked { get; private set; }

    public long Refusals { get; private set; }

    /// <summary>The node that gave the latest acknowledgement.</summary>
    public string LastAckFrom { get; private set; } = "";

    public IReadOnlyList<double> LatencyMs => _latencyMs;

    /// <summary>Sends until <paramref name="ct"/>; every client loops sequentially.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Task.WhenAll(Enumerable.Range(0, _signers.Length).Select(c => ClientAsync(http, c, ct)));
    }

    private async Task ClientAsync(HttpClient http, int c, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            ActionSigner s = _signers[c];
            ulong n = _next[c];
            var deposit = new Deposit(s.Address, new AccountKey(s.Address, 0), _usdc, (long)n + 1);
            byte[] body = Encoding.UTF8.GetBytes(s.Sign(deposit, n));
            string leader = Volatile.Read(ref _leader);
            if (leader.Length == 0)
            {
                await FindLeaderAsync(http);
                await Delay(20, ct);
                continue;
            }

            HttpStatusCode status;
            var sw = Stopwatch.StartNew();
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using HttpResponseMessage r = await http.PostAsync(leader + "/v1/actions", content, CancellationToken.None);
                status = r.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }

            if (status == HttpStatusCode.OK)
            {
                lock (_latencyMs)
                {
                    _latencyMs.Add(sw.Elapsed.TotalMilliseconds);
                    Acked++;
                    LastAckFrom = leader;
                }

                _next[c] = n + 1;
                _ackedNext[c] = n + 1;
            }
            else if (status == HttpStatusCode.Conflict)
            {
                _next[c] = n + 1;
            }
            else
            {
                lock (_latencyMs)
                {
                    Refusals++;
                }

                Interlocked.CompareExchange(ref _leader, "", leader);
                await Delay(20, ct);
            }
        }
    }

    /// <summary>Posts the first client's next deposit once to <paramref name="url"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostOnceAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        ActionSigner s = _signers[0];
        var deposit = new Deposit(s.Address, new AccountKey(s.Address, 0), _usdc, 1);
        using var content = new StringContent(s.Sign(deposit, _next[0]), Encoding.UTF8, "application/json");
        using HttpResponseMessage r = await http.PostAsync(url + "/v1/actions", content);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    private static async Task Delay(int ms, CancellationToken ct)
    {
        try
        {
            await Task.Delay(ms, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FindLeaderAsync(HttpClient http)
    {
        foreach (ReplicaProcess n in _cluster.Nodes.Where(n => n.Running))
        {
            if (await n.FinalityAsync(http) is { } f && f.GetProperty("role").GetString() == "leader")
            {
                Volatile.Write(ref _leader, n.Url);
                return;
            }
        }
    }

    /// <summary>Every acknowledged action is on the node at <paramref name="url"/>, each consumed nonce exactly once.</summary>
    public async Task VerifyAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (int c = 0; c < _signers.Length; c++)
        {
            Address a = _signers[c].Address;
            using JsonDocument d = JsonDocument.Parse(await http.GetStringAsync($"{url}/v1/accounts/{a}"));
            ulong next = ulong.Parse(d.RootElement.GetProperty("nextNonce").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(next >= _ackedNext[c], $"{url}: signer {c} has next nonce {next} but nonce {_ackedNext[c] - 1} was acknowledged");
            JsonElement subs = d.RootElement.GetProperty("subaccounts");
            long balance = subs.GetArrayLength() == 0 ? 0 : long.Parse(subs[0].GetProperty("balances")[0].GetProperty("balance").GetProperty("raw").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            long expected = (long)(next * (next + 1) / 2);
            Assert.Equal(expected, balance);
        }
    }
}
