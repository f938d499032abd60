using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Solvent.Replication.Tests;

public class ReplicationTests(ITestOutputHelper output)
{
    /// <summary>
    /// Three nodes on one stream: the leader sequences signed load, both validators re-execute every block to the
    /// same roots, attestations make the head final with threshold signatures of distinct validators, a follower
    /// refuses actions with 421 naming the leader, and every node serves reads at its own height.
    /// </summary>
    [Fact]
    public async Task Followers_re_execute_attest_and_serve_reads()
    {
        using ReplicatedCluster? c = await ReplicatedCluster.StartAsync();
        if (c is null)
        {
            output.WriteLine("skipped: nats-server is not installed (tests/nats.sh installs it with apt as root)");
            return;
        }

        ReplicaProcess leader = await c.LeaderAsync(TimeSpan.FromSeconds(30));
        var load = new SignedLoad(c, 4, "basic");
        using (var run = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
        {
            await load.RunAsync(run.Token);
        }

        Assert.True(load.Acked > 20, $"only {load.Acked} actions acknowledged\n{leader.Output}");
        (long height, string root) = await c.ConvergedAsync(1, TimeSpan.FromSeconds(30));
        foreach (ReplicaProcess n in c.Nodes)
        {
            await load.VerifyAsync(n.Url);
        }

        // Finality: the head (or a height close to it) carries 2 distinct validator signatures over the node's own root.
        var sw = Stopwatch.StartNew();
        JsonElement f;
        while (true)
        {
            f = (await c.Nodes[1].FinalityAsync(c.Http))!.Value;
            if (f.GetProperty("finalHeight").GetInt64() == height)
            {
                break;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"height {height} not final: {f}");
            await Task.Delay(50);
        }

        Assert.Equal(root, f.GetProperty("finalStateRoot").GetString());
        Assert.True(f.GetProperty("agreesWithLocal").GetBoolean());
        JsonElement sigs = f.GetProperty("signatures");
        Assert.True(sigs.GetArrayLength() >= 2);
        string[] signers = [.. sigs.EnumerateArray().Select(s => s.GetProperty("validator").GetString()!.ToLowerInvariant())];
        Assert.Equal(signers.Distinct().Count(), signers.Length);
        Assert.Equal([.. signers.Order(StringComparer.Ordinal)], signers);
        Assert.All(signers, s => Assert.Contains(s, c.Validators.Select(v => v.ToString().ToLowerInvariant())));
        Assert.Equal(0, f.GetProperty("divergence").ValueKind == JsonValueKind.Null ? 0 : 1);

        // A follower refuses actions with 421 and names the leader; reads carry the node's height.
        ReplicaProcess follower = c.Nodes.First(n => n != leader);
        using var body = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var signer = Crypto.ActionSigner.FromSeed("basic-0", Crypto.Eip712Domain.FromGenesis(Core.Config.GenesisLoader.Parse(File.ReadAllText(c.GenesisFile))));
        using HttpResponseMessage refused = await c.Http.PostAsync(follower.Url + "/v1/actions", new StringContent(signer.Sign(new Core.Actions.Deposit(signer.Address, new Core.State.AccountKey(signer.Address, 0), 0, 1), 1_000_000), System.Text.Encoding.UTF8, "application/json"));
        string refusedBody = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        Assert.Contains("NOT_LEADER", refusedBody, StringComparison.Ordinal);
        Assert.Contains(leader.Url, refusedBody, StringComparison.Ordinal);
        using HttpResponseMessage read = await c.Http.GetAsync(follower.Url + "/v1/markets");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(height.ToString(System.Globalization.CultureInfo.InvariantCulture), read.Headers.GetValues("X-Solvent-Height").Single());
        using HttpResponseMessage proof = await c.Http.GetAsync($"{follower.Url}/v1/accounts/{signer.Address}/0/proof");
        Assert.Equal(HttpStatusCode.OK, proof.StatusCode);
        output.WriteLine($"[table] replicated 3 nodes: {load.Acked} acknowledged in 3 s, height {height} final with {sigs.GetArrayLength()} signatures");
    }
}
