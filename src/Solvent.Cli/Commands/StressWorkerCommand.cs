using System.CommandLine;
using System.Runtime.InteropServices;
using Solvent.Sim.Distributed;
using Solvent.Sim.Scenarios;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent stress worker --nats URLS [--concurrency N]</c>: runs the paths distributed runs publish, until SIGINT or SIGTERM.</summary>
internal static class StressWorkerCommand
{
    public static Command Build()
    {
        var nats = new StressNatsOptions();
        var concurrency = new Option<int?>("--concurrency") { Description = "Paths run at the same time (default: the number of cores)" };
        var cmd = new Command("worker", "Run Monte Carlo paths for `stress run --nats` coordinators (docs/stress.md, Distributed runs)") { concurrency };
        nats.AddTo(cmd, urls: true);
        nats.Urls.Required = true;
        cmd.SetAction(p => StressCommand.Guard(() =>
        {
            DistributedOptions o = nats.Read(p)!;
            int n = p.GetValue(concurrency) ?? Environment.ProcessorCount;
            if (n is < 1 or > 1024)
            {
                throw new ScenarioException("--concurrency", "must be 1 to 1024");
            }

            using var stop = new CancellationTokenSource();
            void Stop(PosixSignalContext ctx)
            {
                ctx.Cancel = true;
                Console.Error.WriteLine("worker: stopping; paths in progress go back to the queue");
                stop.Cancel();
            }

            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            Console.Error.WriteLine($"worker: {n} path(s) at a time from {o.Prefix} on {o.NatsUrls}");
            return StressNatsOptions.Nats(() =>
            {
                try
                {
                    StressWorker.RunAsync(o, n, Console.Error, stop.Token).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }

                return 0;
            });
        }));
        return cmd;
    }
}
