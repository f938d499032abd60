using System.Collections.Concurrent;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.ObjectStore;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Distributed;

/// <summary>
/// <c>solvent stress worker</c>: pulls paths from the work queue, runs each with the same engine code as a local
/// run (<see cref="PathRunner"/> with the path's own seed), publishes the outcome to the run's result subject,
/// then acknowledges. While a path runs the message is kept alive with in-progress acks, so only a worker that
/// died (or lost its connection) has its path delivered again. A message that cannot be run gets an error result
/// (when its run can be told) and is terminated, never retried; the worker carries on.
/// </summary>
public static class StressWorker
{
    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled: <paramref name="concurrency"/> paths at a time. Paths still
    /// running then are handed back (negative ack) for another worker. <paramref name="log"/> gets one line per
    /// refused message.
    /// </summary>
    public static Task RunAsync(DistributedOptions options, int concurrency, TextWriter log, CancellationToken ct) =>
        RunAsync(options, concurrency, log, null, ct);

    internal static async Task RunAsync(DistributedOptions options, int concurrency, TextWriter log, Action<int>? pathStarted, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        string temp = Path.Combine(Path.GetTempPath(), "solvent-stress-worker-" + Guid.NewGuid().ToString("N"));
        await using StressCluster cluster = await StressCluster.ConnectAsync(options, "solvent-stress-worker", ct).ConfigureAwait(false);
        var scenarios = new BundleCache(cluster, temp);
        try
        {
            INatsJSConsumer consumer = await cluster.JetStream.GetConsumerAsync(options.WorkStream, options.Consumer, ct).ConfigureAwait(false);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(cluster, consumer, scenarios, log, pathStarted, ct), CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(temp, true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static async Task LoopAsync(StressCluster cluster, INatsJSConsumer consumer, BundleCache scenarios, TextWriter log, Action<int>? pathStarted, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            INatsJSMsg<byte[]>? next;
            try
            {
                next = await consumer.NextAsync<byte[]>(opts: new NatsJSNextOpts { Expires = TimeSpan.FromSeconds(5) }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (NatsException e)
            {
                Log(log, $"worker: fetching work failed, retrying: {e.Message}");
                await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (next is { } msg)
            {
                await HandleAsync(cluster, msg, scenarios, log, pathStarted, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task HandleAsync(StressCluster cluster, INatsJSMsg<byte[]> msg, BundleCache scenarios, TextWriter log, Action<int>? pathStarted, CancellationToken ct)
    {
        DistributedOptions o = cluster.Options;
        WorkItem item;
        try
        {
            item = WorkItem.Decode(msg.Data);
        }
        catch (InvalidDataException e)
        {
            // A poison message: tell its run (when the subject names one) and drop it, so it is never retried.
            string runId = msg.Subject[(msg.Subject.LastIndexOf('.') + 1)..];
            Log(log, $"worker: refused message on {msg.Subject}: {e.Message}");
            if (RunIds.IsValid(runId))
            {
                await ReplyAsync(cluster, runId, new PathReply(-1, PathReplyKind.Error, [], $"refused work message: {e.Message}"), ct).ConfigureAwait(false);
            }

            await msg.AckTerminateAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (msg.Subject != o.WorkSubject(item.RunId))
        {
            Log(log, $"worker: refused message on {msg.Subject}: it names run {item.RunId}");
            await msg.AckTerminateAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return;
        }

        pathStarted?.Invoke(item.Path);
        Task<PathOutcome> run = Task.Run(async () =>
        {
            Prepared p = await scenarios.GetAsync(item.BundleHash, item.Accounts, ct).ConfigureAwait(false);
            if (item.Path >= ScenarioLimits.MaxPaths)
            {
                throw new ScenarioException("--paths", $"path {item.Path} is beyond the limit of {ScenarioLimits.MaxPaths:N0} paths");
            }

            return PathRunner.Run(p, item.Path, StressRunner.PathSeed(p.Scenario.Seed, item.Path), item.Shock, item.VolMultiplier, item.RecordSeries);
        }, CancellationToken.None);

        TimeSpan beat = o.AckWait / 3;
        while (!run.IsCompleted)
        {
            try
            {
                await Task.WhenAny(run, Task.Delay(beat, ct)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            if (ct.IsCancellationRequested && !run.IsCompleted)
            {
                // Stopping: hand the path back now rather than after the ack wait.
                await Quietly(() => msg.NakAsync(cancellationToken: CancellationToken.None)).ConfigureAwait(false);
                return;
            }

            if (!run.IsCompleted)
            {
                await Quietly(() => msg.AckProgressAsync(cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            }
        }

        PathReply reply;
        try
        {
            PathOutcome outcome = await run.ConfigureAwait(false);
            byte[] bytes = OutcomeCodec.Encode(outcome);
            if (bytes.Length <= cluster.MaxInlinePayload)
            {
                reply = new PathReply(item.Path, PathReplyKind.Outcome, bytes, null);
            }
            else
            {
                string key = o.LargeResultKey(item.RunId, item.Path);
                await cluster.PutAsync(key, bytes, ct).ConfigureAwait(false);
                reply = new PathReply(item.Path, PathReplyKind.Stored, System.Text.Encoding.UTF8.GetBytes(key), null);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Quietly(() => msg.NakAsync(cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            return;
        }
        catch (ScenarioException e)
        {
            reply = new PathReply(item.Path, PathReplyKind.Error, [], e.Message);
        }
        catch (InvalidDataException e)
        {
            reply = new PathReply(item.Path, PathReplyKind.Error, [], e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not NatsException)
        {
            reply = new PathReply(item.Path, PathReplyKind.Error, [], $"internal error: {e.GetType().Name}: {e.Message}");
        }

        if (reply.Kind == PathReplyKind.Error)
        {
            Log(log, $"worker: run {item.RunId} path {item.Path}: {reply.Error}");
        }

        // Publish first, then ack: a crash in between redelivers the path, and the coordinator counts it once.
        await ReplyAsync(cluster, item.RunId, reply, CancellationToken.None).ConfigureAwait(false);
        await msg.AckAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task ReplyAsync(StressCluster cluster, string runId, PathReply reply, CancellationToken ct)
    {
        PubAckResponse ack = await cluster.JetStream.PublishAsync(cluster.Options.ResultSubject(runId), reply.Encode(), cancellationToken: ct).ConfigureAwait(false);
        ack.EnsureSuccess();
    }

    private static async Task Quietly(Func<ValueTask> ack)
    {
        try
        {
            await ack().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone: the ack wait hands the path to another worker.
        }
    }

    private static void Log(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Scenario bundles fetched from the object store and prepared once per (bundle, accounts override).</summary>
    private sealed class BundleCache(StressCluster cluster, string temp)
    {
        private const int Capacity = 8;
        private readonly ConcurrentDictionary<(string, int?), Lazy<Task<Prepared>>> _prepared = new();

        public Task<Prepared> GetAsync(string hash, int? accounts, CancellationToken ct)
        {
            if (_prepared.Count >= Capacity)
            {
                _prepared.Clear();
            }

            Lazy<Task<Prepared>> lazy = _prepared.GetOrAdd((hash, accounts), key => new Lazy<Task<Prepared>>(() => LoadAsync(key.Item1, key.Item2, ct)));
            Task<Prepared> t = lazy.Value;
            if (t.IsFaulted || t.IsCanceled)
            {
                // Do not keep a failure: a bundle uploaded late, or a transient fetch error, may succeed next time.
                _prepared.TryRemove((hash, accounts), out _);
            }

            return t;
        }

        private async Task<Prepared> LoadAsync(string hash, int? accounts, CancellationToken ct)
        {
            byte[] bytes;
            try
            {
                bytes = await cluster.Store.GetBytesAsync(hash, ct).ConfigureAwait(false);
            }
            catch (NatsObjNotFoundException)
            {
                throw new InvalidDataException($"scenario bundle {hash} is not in the object store");
            }

            ScenarioBundle bundle = ScenarioBundle.Read(bytes);
            if (bundle.Hash != hash)
            {
                throw new InvalidDataException($"scenario bundle {hash} does not match its hash ({bundle.Hash})");
            }

            Scenario s = bundle.Load(Path.Combine(temp, hash));
            if (accounts is { } n)
            {
                s = ScenarioOverrides.WithAccounts(s, n);
            }

            return new Prepared(s);
        }
    }
}
