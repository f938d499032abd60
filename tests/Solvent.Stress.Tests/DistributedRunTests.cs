using NATS.Client.Core;
using NATS.Client.JetStream;
using Solvent.Sim.Distributed;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Xunit.Abstractions;

namespace Solvent.Stress.Tests;

/// <summary>
/// Distributed runs against a real nats-server and real <c>solvent stress worker</c> processes: the outputs must
/// be the bytes a local run of the same seed writes, also when a worker is killed holding a path.
/// </summary>
public sealed class DistributedRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly NatsServer? _nats = NatsServer.Start();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "solvent-stress-test-" + Guid.NewGuid().ToString("N"));

    private static string ScenarioFile(string name) => Path.Combine(AppContext.BaseDirectory, "scenarios", name);

    [Fact]
    public async Task Two_worker_processes_write_the_bytes_of_a_local_run()
    {
        if (_nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        // A historical replay: its candle files travel in the bundle, and path 0's time series (over the
        // server's 32 KB message limit) through the object store.
        string file = ScenarioFile("black-thursday-2020.json");
        const int Accounts = 150, Paths = 4;
        DistributedOptions o = Options("two");
        using var a = new WorkerProcess(_nats.Url, o.Prefix);
        using var b = new WorkerProcess(_nats.Url, o.Prefix);
        Scenario s = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(file), Accounts);
        StressRun remote = await DistributedStress.RunAsync(o, file, s, Accounts, Paths, null, w => output.WriteLine("warning: " + w), Timeout(45));
        AssertSameAsLocal(file, Accounts, Paths, remote);
        Assert.True(a.Running && b.Running, a.Output + b.Output);
        Assert.Equal(0, a.Terminate(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, b.Terminate(TimeSpan.FromSeconds(10)));
        Assert.Contains("stopping", a.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_killed_holding_a_path_does_not_change_the_result()
    {
        if (_nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        string file = ScenarioFile("mc-baseline.json");
        const int Accounts = 1500, Paths = 6;
        DistributedOptions o = Options("kill") with { AckWait = TimeSpan.FromSeconds(2) };
        Scenario s = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(file), Accounts);
        using var doomed = new WorkerProcess(_nats.Url, o.Prefix, ackWaitSeconds: 2);
        Task<StressRun> run = DistributedStress.RunAsync(o, file, s, Accounts, Paths, null, w => output.WriteLine("warning: " + w), Timeout(50));

        // Wait until the worker holds a path it has not acknowledged, then kill it without warning.
        await using (var conn = new NatsConnection(new NatsOpts { Url = _nats.Url }))
        {
            var js = new NatsJSContext(conn);
            var until = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                Assert.True(DateTime.UtcNow < until, "the worker never took a path:\n" + doomed.Output);
                Assert.False(run.IsCompleted, "the run finished before the worker could be killed");
                try
                {
                    INatsJSConsumer c = await js.GetConsumerAsync(o.WorkStream, o.Consumer);
                    if (c.Info.NumAckPending > 0)
                    {
                        break;
                    }
                }
                catch (NatsJSApiException)
                {
                    // The consumer is not created yet.
                }

                await Task.Delay(20);
            }
        }

        doomed.Kill();
        using var survivor = new WorkerProcess(_nats.Url, o.Prefix, ackWaitSeconds: 2);
        StressRun remote = await run;
        AssertSameAsLocal(file, Accounts, Paths, remote);
    }

    [Fact]
    public async Task A_run_without_workers_fails_with_a_message_instead_of_hanging()
    {
        if (_nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        string file = ScenarioFile("mc-baseline.json");
        DistributedOptions o = Options("idle") with { StallTimeout = TimeSpan.FromSeconds(2) };
        Scenario s = ScenarioOverrides.WithAccounts(ScenarioLoader.Load(file), 50);
        var e = await Assert.ThrowsAsync<ScenarioException>(() => DistributedStress.RunAsync(o, file, s, 50, 2, null, null, Timeout(20)));
        Assert.Equal("--nats", e.JsonPath);
        Assert.Contains("0 of 2 done", e.Message, StringComparison.Ordinal);

        // Nothing of the failed run is left for a worker that starts later.
        await using var conn = new NatsConnection(new NatsOpts { Url = _nats.Url });
        INatsJSStream work = await new NatsJSContext(conn).GetStreamAsync(o.WorkStream);
        Assert.Equal(0L, work.Info.State.Messages);
    }

    [Fact]
    public async Task Poison_messages_are_refused_with_a_message_and_the_worker_carries_on()
    {
        if (_nats is null)
        {
            output.WriteLine(NatsServer.SkipReason);
            return;
        }

        DistributedOptions o = Options("poison");
        var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task worker = StressWorker.RunAsync(o, 1, log, stop.Token);
        await using var conn = new NatsConnection(new NatsOpts { Url = _nats.Url });
        var js = new NatsJSContext(conn);
        await WaitForStreamAsync(js, o);
        string runId = Guid.NewGuid().ToString("N");
        INatsJSConsumer results = await js.CreateOrderedConsumerAsync(o.ResultStream, new NatsJSOrderedConsumerOpts { FilterSubjects = [o.ResultSubject(runId)] });

        // Another format (a length-prefixed "hello"), a truncated work item, and a well-formed one naming a scenario nobody uploaded.
        byte[] good = new WorkItem(runId, new string('a', 64), null, 0, 1, 3, false).Encode();
        await js.PublishAsync(o.WorkSubject(runId), "\u0005hello"u8.ToArray());
        await js.PublishAsync(o.WorkSubject(runId), good[..^5]);
        await js.PublishAsync(o.WorkSubject(runId), good);

        var replies = new List<PathReply>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (NatsJSMsg<byte[]> m in results.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            replies.Add(PathReply.Decode(m.Data));
            if (replies.Count == 3)
            {
                break;
            }
        }

        Assert.All(replies, r => Assert.Equal(PathReplyKind.Error, r.Kind));
        Assert.Contains("not a stress work message", replies[0].Error, StringComparison.Ordinal);
        Assert.Contains("truncated", replies[1].Error, StringComparison.Ordinal);
        Assert.Equal(-1, replies[1].Path);
        Assert.Equal(3, replies[2].Path);
        Assert.Contains("not in the object store", replies[2].Error, StringComparison.Ordinal);
        Assert.False(worker.IsCompleted, "the worker stopped on a bad message:\n" + log);
        Assert.Contains("refused message", log.ToString(), StringComparison.Ordinal);

        // The refused messages are gone (terminated), not waiting for a retry.
        INatsJSConsumer c = await js.GetConsumerAsync(o.WorkStream, o.Consumer);
        Assert.Equal(0, c.Info.NumAckPending);
        Assert.Equal(0ul, c.Info.NumPending);

        stop.Cancel();
        Assert.Same(worker, await Task.WhenAny(worker, Task.Delay(TimeSpan.FromSeconds(15))));
        await worker;
    }

    public void Dispose()
    {
        _nats?.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task WaitForStreamAsync(NatsJSContext js, DistributedOptions o)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await js.GetConsumerAsync(o.WorkStream, o.Consumer);
                return;
            }
            catch (NatsJSApiException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }

    private static CancellationToken Timeout(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private DistributedOptions Options(string name) => new() { NatsUrls = _nats!.Url, Prefix = $"t-{name}-{Guid.NewGuid():N}"[..20], StallTimeout = TimeSpan.FromSeconds(40) };

    private void AssertSameAsLocal(string file, int accounts, int paths, StressRun remote)
    {
        StressRun local = StressRunner.Run(ScenarioOverrides.WithAccounts(ScenarioLoader.Load(file), accounts), paths);
        string l = Path.Combine(_dir, "local"), r = Path.Combine(_dir, "remote");
        StressReport.WriteRun(l, local);
        StressReport.WriteRun(r, remote);
        string[] names = [.. Directory.GetFiles(l).Select(Path.GetFileName).Order()!];
        Assert.Equal(["report.html", "series.csv", "summary.json"], names);
        Assert.Equal(names, Directory.GetFiles(r).Select(Path.GetFileName).Order());
        foreach (string n in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(l, n)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(r, n))), $"{n} differs from the local run's");
        }

        Directory.Delete(_dir, true);
    }
}
