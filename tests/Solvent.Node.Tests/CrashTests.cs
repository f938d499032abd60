using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Hosting;
using Solvent.Storage;
using Xunit.Abstractions;

namespace Solvent.Node.Tests;

public class CrashTests(ITestOutputHelper output)
{
    private const int Clients = 4;

    /// <summary>SIGKILL cycles: 20 by default, 100 in the long (nightly) run, <c>SOLVENT_LONG=1</c>.</summary>
    private static int Rounds => Environment.GetEnvironmentVariable("SOLVENT_LONG") == "1" ? 100 : 20;

    /// <summary>
    /// The built node under a load of signed deposits is SIGKILLed at a random moment, <see cref="Rounds"/> times. After
    /// each kill: every acknowledged action is in the log at the height it was acknowledged with,
    /// <c>solvent replay</c> re-executes the log and agrees with every root, and the restarted node's
    /// nonces and balances are exactly what the logged actions add up to (whole blocks or nothing).
    /// </summary>
    [Fact]
    public async Task Sigkill_under_load_loses_no_acknowledged_action_and_replay_agrees()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-crash-" + Guid.NewGuid().ToString("N"));
        Genesis genesis = GenesisLoader.Parse(NodeOptions.ExampleGenesis());
        var domain = Eip712Domain.FromGenesis(genesis);
        int usdc = genesis.FindAsset("USDC");
        ActionSigner[] signers = [.. Enumerable.Range(0, Clients).Select(i => ActionSigner.FromSeed($"crash-{i}", domain))];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var rng = new Random(6);
        var acked = new List<(long Height, byte[] Raw)>();
        int kills = 0, replays = 0, rounds = Rounds;
        long lost = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Table() => output.WriteLine($"[table] SIGKILL under signed load: {kills} cycles, {acked.Count} actions acknowledged, {lost} lost, {replays} replays agreed with the log, {clock.Elapsed.TotalSeconds:F0} s");
        try
        {
            for (int round = 0; round <= rounds; round++)
            {
                using NodeProcess node = await NodeProcess.StartNodeAsync(dir, http);

                // The restarted node holds exactly what the log holds.
                (Dictionary<Address, ulong> nonces, Dictionary<Address, long> sums) = Tally(dir, domain);
                var next = new ulong[Clients];
                for (int c = 0; c < Clients; c++)
                {
                    Address a = signers[c].Address;
                    JsonElement owner = await GetAsync(http, $"{node.Url}/v1/accounts/{a}");
                    next[c] = ulong.Parse(owner.GetProperty("nextNonce").GetString()!);
                    Assert.Equal(nonces.GetValueOrDefault(a), next[c]);
                    long balance = owner.GetProperty("subaccounts").GetArrayLength() == 0 ? 0
                        : long.Parse(owner.GetProperty("subaccounts")[0].GetProperty("balances")[0].GetProperty("balance").GetProperty("raw").GetString()!);
                    Assert.Equal(sums.GetValueOrDefault(a), balance);
                }

                if (round == rounds)
                {
                    break;
                }

                using var stop = new CancellationTokenSource();
                Task[] load = [.. Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
                {
                    ActionSigner s = signers[c];
                    while (!stop.IsCancellationRequested)
                    {
                        byte[] raw = Encoding.UTF8.GetBytes(s.Sign(new Deposit(s.Address, new AccountKey(s.Address, 0), usdc, 1_000 + (long)next[c]), next[c]));
                        using var content = new ByteArrayContent(raw);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        HttpResponseMessage r;
                        try
                        {
                            r = await http.PostAsync(node.Url + "/v1/actions", content);
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            return; // killed mid-request: not acknowledged
                        }

                        using (r)
                        {
                            if (r.StatusCode != HttpStatusCode.OK)
                            {
                                return;
                            }

                            JsonElement body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
                            lock (acked)
                            {
                                acked.Add((body.GetProperty("height").GetInt64(), raw));
                            }

                            next[c]++;
                        }
                    }
                }))];

                await Task.Delay(rng.Next(80, 500));
                node.Kill();
                kills++;
                await stop.CancelAsync();
                await Task.WhenAll(load);

                // Every acknowledged action is in the block it was acknowledged with.
                using (BlockLog log = BlockLog.Open(dir, readOnly: true))
                {
                    lock (acked)
                    {
                        foreach ((long height, byte[] raw) in acked)
                        {
                            StoredBlock? b = log.Read(height);
                            lost += b is not null && b.Actions.Any(x => x.AsSpan().SequenceEqual(raw)) ? 0 : 1;
                        }

                        if (lost > 0)
                        {
                            Table();
                            Assert.Fail($"{lost} acknowledged actions are not in the block they were acknowledged with after kill {kills}");
                        }
                    }
                }

                (int exit, string replayOutput) = await NodeProcess.RunAsync("replay", dir, "--json");
                Assert.True(exit == 0, $"replay after kill {kills} failed: {replayOutput}");
                replays++;
            }

            Table();
            Assert.Equal(rounds, kills);
            Assert.True(acked.Count > rounds, $"only {acked.Count} actions were acknowledged under load");
        }
        finally
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (Dictionary<Address, ulong> Nonces, Dictionary<Address, long> Sums) Tally(string dir, Eip712Domain domain)
    {
        var nonces = new Dictionary<Address, ulong>();
        var sums = new Dictionary<Address, long>();
        if (!File.Exists(Path.Combine(dir, BlockLog.FileName)))
        {
            return (nonces, sums);
        }

        using BlockLog log = BlockLog.Open(dir, readOnly: true);
        foreach (StoredBlock b in log.ReadAll())
        {
            foreach (byte[] raw in b.Actions)
            {
                Assert.True(ActionCodec.TryDecode(raw, domain, out SignedAction? a, out string code, out _), code);
                nonces[a.Signer] = nonces.GetValueOrDefault(a.Signer) + 1;
                sums[a.Signer] = sums.GetValueOrDefault(a.Signer) + ((Deposit)a.Action).Amount;
            }
        }

        return (nonces, sums);
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        string text = await http.GetStringAsync(url);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
