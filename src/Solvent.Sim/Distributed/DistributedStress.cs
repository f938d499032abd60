using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Distributed;

/// <summary>
/// The coordinator of a distributed <c>stress run</c>: uploads the scenario bundle, publishes one work message
/// per path under a fresh run id, collects the workers' outcomes and folds them in path order, so the summary
/// and report are byte-identical to <see cref="StressRunner.Run"/> with the same seed. A path reported twice
/// (a redelivery after a worker died between publishing and acking) counts once.
/// </summary>
public static class DistributedStress
{
    /// <summary>
    /// Runs <paramref name="paths"/> paths of the scenario at <paramref name="scenarioPath"/> on the workers.
    /// <paramref name="s"/> is that scenario as loaded locally, with <paramref name="accounts"/> already applied
    /// (workers apply it again to their copy). <paramref name="warn"/> gets one line per ignored result message.
    /// A path a worker could not run fails the run with a <see cref="ScenarioException"/> naming it.
    /// </summary>
    public static async Task<StressRun> RunAsync(
        DistributedOptions options, string scenarioPath, Scenario s, int? accounts, int? paths, Action<int>? pathDone, Action<string>? warn, CancellationToken ct)
    {
        int n = ScenarioLimits.Paths(paths ?? s.Paths, paths is null ? "$.paths" : "--paths");
        var prepared = new Prepared(s);
        ScenarioLimits.Work(n, s.Steps, prepared.Populations.Sum(x => (long)x.Accounts));
        double sh = s.Prices.Shock;
        double vm = s.Prices.VolMultiplier;
        ScenarioBundle bundle = ScenarioBundle.FromFile(scenarioPath);
        string runId = RunIds.New();
        PathOutcome[] outcomes = await CollectAsync(options, bundle, runId, accounts, n, sh, vm, pathDone, warn, ct).ConfigureAwait(false);
        return new StressRun(
            StressRunner.Summarize(s, prepared, outcomes, sh, vm), outcomes, prepared.Symbols,
            path => PathRunner.Run(prepared, path, StressRunner.PathSeed(s.Seed, path), sh, vm, recordSeries: true));
    }

    private static async Task<PathOutcome[]> CollectAsync(
        DistributedOptions o, ScenarioBundle bundle, string runId, int? accounts, int n, double sh, double vm, Action<int>? pathDone, Action<string>? warn, CancellationToken ct)
    {
        await using StressCluster cluster = await StressCluster.ConnectAsync(o, "solvent-stress-coordinator", ct).ConfigureAwait(false);
        NatsJSContext js = cluster.JetStream;
        var outcomes = new PathOutcome[n];
        var encoded = new byte[n][];
        var pathOfSeq = new Dictionary<ulong, int>();
        string? failure = null;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stored = new List<string>();
        try
        {
            await cluster.PutAsync(bundle.Hash, bundle.Bytes, ct).ConfigureAwait(false);

            // Subscribe to results before any work exists, so no result can be missed.
            INatsJSConsumer results = await js.CreateOrderedConsumerAsync(
                o.ResultStream, new NatsJSOrderedConsumerOpts { FilterSubjects = [o.ResultSubject(runId)] }, ct).ConfigureAwait(false);

            // JetStream gives up on a path after MaxDeliver deliveries: that path will never come back.
            await using INatsSub<byte[]> advisories = await cluster.Connection.SubscribeCoreAsync<byte[]>(
                $"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{o.WorkStream}.{o.Consumer}", cancellationToken: ct).ConfigureAwait(false);
            _ = Task.Run(async () =>
            {
                await foreach (NatsMsg<byte[]> m in advisories.Msgs.ReadAllAsync(abort.Token).ConfigureAwait(false))
                {
                    ulong seq = StreamSeq(m.Data);
                    lock (pathOfSeq)
                    {
                        if (pathOfSeq.TryGetValue(seq, out int p) && outcomes[p] is null)
                        {
                            failure ??= $"path {p} was delivered {o.MaxDeliver} times without a result (every worker that took it died or lost its connection)";
                            abort.Cancel();
                        }
                    }
                }
            }, CancellationToken.None);

            for (int i = 0; i < n; i++)
            {
                var item = new WorkItem(runId, bundle.Hash, accounts, sh, vm, i, RecordSeries: i == 0);
                PubAckResponse ack = await js.PublishAsync(o.WorkSubject(runId), item.Encode(), opts: new NatsJSPubOpts { MsgId = $"{runId}-{i}" }, cancellationToken: ct).ConfigureAwait(false);
                ack.EnsureSuccess();
                lock (pathOfSeq)
                {
                    pathOfSeq[ack.Seq] = i;
                }
            }

            int received = 0;
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
            stall.CancelAfter(o.StallTimeout);
            try
            {
                await foreach (NatsJSMsg<byte[]> m in results.ConsumeAsync<byte[]>(cancellationToken: stall.Token).ConfigureAwait(false))
                {
                    PathReply reply;
                    try
                    {
                        reply = PathReply.Decode(m.Data);
                    }
                    catch (InvalidDataException e)
                    {
                        warn?.Invoke($"ignored a result message of run {runId}: {e.Message}");
                        continue;
                    }

                    if (reply.Kind == PathReplyKind.Error)
                    {
                        if (reply.Path >= 0 && reply.Path < n)
                        {
                            throw new ScenarioException($"worker (path {reply.Path})", reply.Error ?? "failed");
                        }

                        warn?.Invoke($"a worker refused a message of run {runId}: {reply.Error}");
                        continue;
                    }

                    if (reply.Path < 0 || reply.Path >= n)
                    {
                        warn?.Invoke($"ignored a result for path {reply.Path} of run {runId} (it has {n} paths)");
                        continue;
                    }

                    byte[] bytes = reply.Payload;
                    if (reply.Kind == PathReplyKind.Stored)
                    {
                        string key = Encoding.UTF8.GetString(bytes);
                        if (key != o.LargeResultKey(runId, reply.Path))
                        {
                            warn?.Invoke($"ignored a stored result of path {reply.Path} under an unexpected key {key}");
                            continue;
                        }

                        stored.Add(key);
                        bytes = await cluster.Store.GetBytesAsync(key, stall.Token).ConfigureAwait(false);
                    }

                    if (encoded[reply.Path] is { } first)
                    {
                        // A redelivered path: the engine is deterministic, so the second answer must equal the first.
                        if (!first.AsSpan().SequenceEqual(bytes))
                        {
                            throw new InvalidOperationException($"path {reply.Path} gave two different outcomes on two workers; the workers do not run the same code");
                        }

                        continue;
                    }

                    PathOutcome outcome;
                    try
                    {
                        outcome = OutcomeCodec.Decode(bytes);
                    }
                    catch (InvalidDataException e)
                    {
                        warn?.Invoke($"ignored the result of path {reply.Path}: {e.Message}");
                        continue;
                    }

                    if (outcome.Path != reply.Path)
                    {
                        warn?.Invoke($"ignored a result labelled path {reply.Path} holding path {outcome.Path}");
                        continue;
                    }

                    lock (pathOfSeq)
                    {
                        outcomes[reply.Path] = outcome;
                    }

                    encoded[reply.Path] = bytes;
                    received++;
                    pathDone?.Invoke(reply.Path);
                    stall.CancelAfter(o.StallTimeout);
                    if (received == n)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Reported below: the consumer may also end quietly on cancellation.
            }

            if (received < n)
            {
                ct.ThrowIfCancellationRequested();
                throw new ScenarioException("--nats", failure ?? $"no path result for {o.StallTimeout.TotalSeconds:N0} s ({received} of {n} done); are workers running (solvent stress worker --nats ...)?");
            }

            return outcomes;
        }
        finally
        {
            abort.Cancel();

            // Whatever happened, leave nothing of this run behind for the workers to pick up.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Quietly(() => js.PurgeStreamAsync(o.WorkStream, new StreamPurgeRequest { Filter = o.WorkSubject(runId) }, cleanup.Token).AsTask()).ConfigureAwait(false);
            await Quietly(() => js.PurgeStreamAsync(o.ResultStream, new StreamPurgeRequest { Filter = o.ResultSubject(runId) }, cleanup.Token).AsTask()).ConfigureAwait(false);
            foreach (string key in stored)
            {
                await Quietly(() => cluster.Store.DeleteAsync(key, cleanup.Token).AsTask()).ConfigureAwait(false);
            }
        }
    }

    private static ulong StreamSeq(byte[]? advisory)
    {
        try
        {
            using JsonDocument d = JsonDocument.Parse(advisory ?? []);
            return d.RootElement.TryGetProperty("stream_seq", out JsonElement e) && e.TryGetUInt64(out ulong seq) ? seq : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static async Task Quietly(Func<Task> cleanup)
    {
        try
        {
            await cleanup().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException)
        {
            // Best effort: the streams' age limits remove what is left.
        }
    }
}
