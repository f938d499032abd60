using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Solvent.Replication.Tests;

public class FaultTests(ITestOutputHelper output)
{
    private const string Skipped = "skipped: nats-server is not installed (tests/nats.sh installs it with apt as root)";

    /// <summary>SIGKILL cycles of the leader: 5 by default, 50 with <c>SOLVENT_LONG=1</c>.</summary>
    private static int Cycles => Environment.GetEnvironmentVariable("SOLVENT_LONG") == "1" ? 50 : 5;

    /// <summary>
    /// The leader is SIGKILLed at a random moment under signed load, <see cref="Cycles"/> times, and restarted as a
    /// follower. Another validator takes over from the stream's last block; no acknowledged action is lost or
    /// doubled on any node, and all nodes end on the same root. Failover time (kill to the new leader's first
    /// acknowledgement) is reported.
    /// </summary>
    [Fact]
    public async Task Killing_the_leader_under_load_loses_no_acknowledged_action()
    {
        using ReplicatedCluster? c = await ReplicatedCluster.StartAsync();
        if (c is null)
        {
            output.WriteLine(Skipped);
            return;
        }

        var load = new SignedLoad(c, 4, "failover");
        using var stop = new CancellationTokenSource();
        Task running = Task.Run(() => load.RunAsync(stop.Token));
        var rng = new Random(11);
        var failovers = new List<double>();
        try
        {
            for (int cycle = 0; cycle < Cycles; cycle++)
            {
                ReplicaProcess leader = await c.LeaderAsync(TimeSpan.FromSeconds(30));
                await Task.Delay(rng.Next(300, 1500));
                leader.Kill();
                var sw = Stopwatch.StartNew();
                while (load.LastAckFrom == leader.Url)
                {
                    Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"no action acknowledged within 30 s of killing the leader (cycle {cycle})\n" + string.Join("\n----\n", c.Nodes.Where(n => n.Running).Select(n => n.Output[^Math.Min(4000, n.Output.Length)..])));
                    await Task.Delay(5);
                }

                failovers.Add(sw.Elapsed.TotalMilliseconds);
                leader.Start();
                await leader.WaitHealthyAsync(c.Http, TimeSpan.FromSeconds(90));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        await c.ConvergedAsync(1, TimeSpan.FromSeconds(60));
        foreach (ReplicaProcess n in c.Nodes)
        {
            await load.VerifyAsync(n.Url);
        }

        failovers.Sort();
        output.WriteLine($"[table] leader SIGKILL under load: {failovers.Count} cycles, {load.Acked} acknowledged, 0 lost, failover (kill to the first acknowledgement by the next leader) median {failovers[failovers.Count / 2]:F0} ms, max {failovers[^1]:F0} ms, lease {ReplicatedCluster.LeaseMs} ms");
    }

    /// <summary>
    /// A leader frozen (SIGSTOP) past its lease is replaced; when it resumes (SIGCONT) it cannot append (the stream
    /// is fenced by expected sequence), steps down, rebuilds from its log and follows: one history, no lost acks.
    /// </summary>
    [Fact]
    public async Task A_stale_leader_resumed_after_its_lease_steps_down()
    {
        using ReplicatedCluster? c = await ReplicatedCluster.StartAsync();
        if (c is null)
        {
            output.WriteLine(Skipped);
            return;
        }

        var load = new SignedLoad(c, 3, "stale");
        using var stop = new CancellationTokenSource();
        Task running = Task.Run(() => load.RunAsync(stop.Token));
        ReplicaProcess old;
        try
        {
            old = await c.LeaderAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(500);
            old.Signal(19); // SIGSTOP
            var sw = Stopwatch.StartNew();
            ReplicaProcess next;
            while (true)
            {
                next = await c.LeaderAsync(TimeSpan.FromSeconds(30));
                if (next != old)
                {
                    break;
                }

                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "no new leader while the old one is stopped");
            }

            long at = load.Acked;
            while (load.Acked < at + 20)
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(40), "the new leader does not acknowledge");
                await Task.Delay(10);
            }

            old.Signal(18); // SIGCONT
            await Task.Delay(3 * ReplicatedCluster.LeaseMs);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        Assert.True(old.Running, "the resumed leader should step down and keep serving, not exit:\n" + old.Output);
        JsonElement f = (await WaitRoleAsync(c, old, "follower"))!.Value;
        Assert.Equal("follower", f.GetProperty("role").GetString());
        await c.ConvergedAsync(1, TimeSpan.FromSeconds(30));
        foreach (ReplicaProcess n in c.Nodes)
        {
            await load.VerifyAsync(n.Url);
        }

        output.WriteLine($"[table] SIGSTOP leader past its lease: replaced, resumed as follower, {load.Acked} acknowledged, 0 lost");
    }

    /// <summary>
    /// A sequencer that publishes a block with a wrong state root (test hook) is caught by every validator: each
    /// refuses to attest, reports the divergence (finality endpoint and metric) and keeps serving the last agreed
    /// height; the bad height never gathers the threshold.
    /// </summary>
    [Fact]
    public async Task A_block_with_a_wrong_root_is_refused_by_every_validator()
    {
        using ReplicatedCluster? c = await ReplicatedCluster.StartAsync(leaderEnv: new Dictionary<string, string> { ["SOLVENT_TEST_CORRUPT_ROOT_AT"] = "3" });
        if (c is null)
        {
            output.WriteLine(Skipped);
            return;
        }

        var load = new SignedLoad(c, 2, "corrupt");
        using (var run = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await load.RunAsync(run.Token);
        }

        foreach (ReplicaProcess v in c.Nodes.Skip(1))
        {
            JsonElement f = (await WaitRoleAsync(c, v, "diverged"))!.Value;
            Assert.Equal(3, f.GetProperty("divergence").GetProperty("height").GetInt64());
            Assert.Equal(2, f.GetProperty("height").GetInt64());
            Assert.True(f.GetProperty("finalHeight").GetInt64() < 3, f.ToString());
            string metrics = await c.Http.GetStringAsync(v.Url + "/metrics");
            Assert.Contains("solvent_validator_divergence 1", metrics, StringComparison.Ordinal);
            using HttpResponseMessage read = await c.Http.GetAsync(v.Url + "/v1/markets");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("2", read.Headers.GetValues("X-Solvent-Height").Single());
            Assert.Contains("divergence", v.Output, StringComparison.Ordinal);
        }

        JsonElement leaderView = (await c.Nodes[0].FinalityAsync(c.Http))!.Value;
        Assert.True(leaderView.GetProperty("height").GetInt64() >= 3);
        Assert.True(leaderView.GetProperty("finalHeight").GetInt64() < 3, leaderView.ToString());
        output.WriteLine("[table] wrong root at height 3: both validators diverged at 3, final height stays below 3");
    }

    private static async Task<JsonElement?> WaitRoleAsync(ReplicatedCluster c, ReplicaProcess n, string role)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            JsonElement? f = await n.FinalityAsync(c.Http);
            if (f is { } v && v.GetProperty("role").GetString() == role)
            {
                return f;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"node never became {role}: {f}\n{n.Output}");
            await Task.Delay(50);
        }
    }
}
