using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Solvent.Replication.Tests;

/// <summary>NATS server outages (its own class, so it runs beside the leader fault tests).</summary>
public class NatsOutageTests(ITestOutputHelper output)
{
    private const string Skipped = "skipped: nats-server is not installed (tests/nats.sh installs it with apt as root)";

    /// <summary>
    /// With one of three NATS servers killed the stream keeps acknowledging; with two killed no action is
    /// acknowledged (503) and none is lost; when one returns, acknowledgements resume.
    /// </summary>
    [Fact]
    public async Task The_stream_survives_one_server_down_and_stops_acknowledging_with_two()
    {
        using ReplicatedCluster? c = await ReplicatedCluster.StartAsync();
        if (c is null)
        {
            output.WriteLine(Skipped);
            return;
        }

        var load = new SignedLoad(c, 3, "nats");
        long firstAckMs = -1;
        string stayed = "";
        using var stop = new CancellationTokenSource();
        Task running = Task.Run(() => load.RunAsync(stop.Token));
        try
        {
            await WaitAckedAsync(load, 20, TimeSpan.FromSeconds(20));
            c.Nats.KillServer(2);
            long one = load.Acked;
            var sinceKill = Stopwatch.StartNew();
            await WaitAckedAsync(load, one + 1, TimeSpan.FromSeconds(60));
            firstAckMs = sinceKill.ElapsedMilliseconds;
            // If the killed server led the stream, JetStream elects another while the 1.5 s lease may lapse
            // and the node rebuild: acknowledgements resume after that, which on a loaded machine takes a while.
            await WaitAckedAsync(load, one + 50, TimeSpan.FromSeconds(60));

            ReplicaProcess before = await c.LeaderAsync(TimeSpan.FromSeconds(30));
            c.Nats.KillServer(1);
            await Task.Delay(3000);
            long two = load.Acked;
            await Task.Delay(3000);
            Assert.True(load.Acked - two <= 0, $"{load.Acked - two} actions acknowledged with 2 of 3 servers down");
            // Reads stay up on every node while the stream cannot take blocks. A leader whose lease ran out
            // meanwhile rebuilds from its log first, so each node gets time to answer again (generous: on a
            // loaded 2-core machine a follower has taken over 20 s).
            foreach (ReplicaProcess n in c.Nodes)
            {
                bool answered = false;
                for (var until = DateTime.UtcNow.AddSeconds(45); !answered && DateTime.UtcNow < until; await Task.Delay(250))
                {
                    answered = await n.FinalityAsync(c.Http) is not null;
                }

                Assert.True(answered, $"{n.Url} does not answer with 2 of 3 NATS servers down:\n{n.Output[^Math.Min(6000, n.Output.Length)..]}");
            }

            // The leader says why it does not acknowledge; it stays leader through the outage (nothing it reads,
            // such as attestations, makes it step down), so no rebuild delays the resumption.
            ReplicaProcess leader = await c.LeaderAsync(TimeSpan.FromSeconds(30));
            Assert.True(leader == before, $"the leader changed while no majority could elect one ({before.Url} → {leader.Url}):\n{ReplicatedCluster.Replication(before.Output)}");
            stayed = "the leader kept its role without a majority";
            var probe = new SignedLoad(c, 1, "probe");
            (HttpStatusCode status, string body) = await probe.PostOnceAsync(leader.Url);
            Assert.True(status == HttpStatusCode.ServiceUnavailable && body.Contains("REPLICATION_UNAVAILABLE", StringComparison.Ordinal), $"{(int)status} {body}");

            // A follower either points at that leader or says no majority is reachable; never "retry shortly".
            foreach (ReplicaProcess f in c.Nodes.Where(n => n != leader))
            {
                (HttpStatusCode fs, string fb) = await probe.PostOnceAsync(f.Url);
                bool pointsAtLeader = fs == HttpStatusCode.MisdirectedRequest && fb.Contains("NOT_LEADER", StringComparison.Ordinal) && fb.Contains(leader.Url, StringComparison.Ordinal);
                bool saysNoMajority = fs == HttpStatusCode.ServiceUnavailable && fb.Contains("REPLICATION_UNAVAILABLE", StringComparison.Ordinal);
                Assert.True(pointsAtLeader || saysNoMajority, $"follower {f.Url}: {(int)fs} {fb}");
            }

            c.Nats.StartServer(1);
            await WaitAckedAsync(load, two + 50, TimeSpan.FromSeconds(60));
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

        output.WriteLine($"[table] NATS servers down: 1 of 3 kept acknowledging, 2 of 3 acknowledged nothing, resumed when one returned; first acknowledgement {firstAckMs} ms after one server was killed; {stayed}; {load.Acked} acknowledged, 0 lost");
    }

    private static async Task WaitAckedAsync(SignedLoad load, long count, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (load.Acked < count)
        {
            Assert.True(sw.Elapsed < within, $"only {load.Acked} of {count} actions acknowledged in {within.TotalSeconds} s");
            await Task.Delay(10);
        }
    }
}
