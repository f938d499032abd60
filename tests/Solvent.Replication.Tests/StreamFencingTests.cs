using Solvent.Node.Replication;
using Solvent.Storage;
using Xunit.Abstractions;

namespace Solvent.Replication.Tests;

public class StreamFencingTests(ITestOutputHelper output)
{
    private static StoredBlock Block(long height, byte tag) =>
        new(height, 1_700_000_000 + height, new byte[32], Enumerable.Repeat(tag, 32).ToArray(), new byte[32], [[tag]]);

    /// <summary>Two writers at one height: exactly one appends; the other is fenced, at the first height and later ones; a retried publish of a stored block is a no-op.</summary>
    [Fact]
    public async Task Two_writers_can_never_both_append_at_one_height()
    {
        using NatsCluster? nats = NatsCluster.Start();
        if (nats is null)
        {
            output.WriteLine("skipped: nats-server is not installed (tests/nats.sh installs it with apt as root)");
            return;
        }

        var options = new ReplicationOptions { NatsUrls = nats.Urls, Prefix = "FENCE" };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using NatsBlockStream a = await NatsBlockStream.ConnectAsync(options, TimeSpan.FromSeconds(30), cts.Token);
        await using NatsBlockStream b = await NatsBlockStream.ConnectAsync(options, TimeSpan.FromSeconds(30), cts.Token);

        await a.AppendAsync(Block(1, 1), cts.Token);
        await Assert.ThrowsAsync<ReplicationFencedException>(() => b.AppendAsync(Block(1, 2), cts.Token));
        await a.AppendAsync(Block(1, 1), cts.Token); // the same block again (a retry after a lost acknowledgement)
        await a.AppendAsync(Block(2, 1), cts.Token);
        await Assert.ThrowsAsync<ReplicationFencedException>(() => b.AppendAsync(Block(2, 2), cts.Token));
        await Assert.ThrowsAsync<ReplicationFencedException>(() => b.AppendAsync(Block(4, 2), cts.Token));
        Assert.Equal(2, await b.LastHeightAsync(cts.Token));

        var seen = new List<long>();
        await foreach ((long seq, StoredBlock? block, _) in b.ReadAsync(1, cts.Token))
        {
            Assert.Equal(seq, block!.Height);
            Assert.Equal(1, block.StateRoot[0]);
            seen.Add(seq);
            if (seq == 2)
            {
                break;
            }
        }

        Assert.Equal([1L, 2L], seen);
    }

    /// <summary>The lease: one holder at a time; a renewal with a stale revision fails.</summary>
    [Fact]
    public async Task The_lease_has_one_holder_and_stale_renewals_fail()
    {
        using NatsCluster? nats = NatsCluster.Start();
        if (nats is null)
        {
            output.WriteLine("skipped: nats-server is not installed");
            return;
        }

        var options = new ReplicationOptions { NatsUrls = nats.Urls, Prefix = "LEASE", LeaseTtl = TimeSpan.FromSeconds(1) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using NatsBlockStream a = await NatsBlockStream.ConnectAsync(options, TimeSpan.FromSeconds(30), cts.Token);
        await using NatsBlockStream b = await NatsBlockStream.ConnectAsync(options, TimeSpan.FromSeconds(30), cts.Token);
        ulong rev = (await a.TryTakeLeaseAsync("a", cts.Token))!.Value;
        Assert.Null(await b.TryTakeLeaseAsync("b", cts.Token));
        Assert.Equal("a", (await b.LeaseHolderAsync(cts.Token))!.Value.Holder);
        ulong renewed = (await a.TryRenewLeaseAsync("a", rev, cts.Token))!.Value;
        Assert.Null(await b.TryRenewLeaseAsync("b", rev, cts.Token));

        // Expired: b takes it, and a's renewal with its old revision fails.
        await Task.Delay(2500, cts.Token);
        Assert.NotNull(await b.TryTakeLeaseAsync("b", cts.Token));
        Assert.Null(await a.TryRenewLeaseAsync("a", renewed, cts.Token));
    }
}
