using Solvent.Node.Hosting;

namespace Solvent.Node.Replication;

/// <summary>
/// Hosts a replicated node: builds the runtime from the local log, attaches a <see cref="ReplicationCoordinator"/>
/// to its sequencer, serves the API, and rebuilds everything from the local log whenever the coordinator steps
/// down (lease lost, fenced by the stream) or diverges, so the engine never keeps a block the stream refused.
/// </summary>
public static class ReplicatedNode
{
    /// <summary>Runs until <paramref name="ct"/> or the host's shutdown; returns the process exit code.</summary>
    /// <param name="overrides">Node configuration overrides (as for <see cref="NodeHost.Build"/>).</param>
    /// <param name="urls">Listen URLs.</param>
    /// <param name="options">Replication settings.</param>
    /// <param name="started">Called after each (re)start with the runtime and the listen URLs.</param>
    /// <param name="ct">Stops the node.</param>
    public static async Task<int> RunAsync(IDictionary<string, string?> overrides, string urls, ReplicationOptions options, Action<NodeRuntime, IReadOnlyCollection<string>>? started, CancellationToken ct)
    {
        ReplicationStatus? status = null;
        NatsBlockStream? stream = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                (WebApplication app, NodeRuntime node) = NodeHost.Build(
                    overrides,
                    configure: b => b.WebHost.UseUrls(urls),
                    mapExtra: (a, n) => FinalityEndpoints.Map(a, n, status ??= NewStatus(n)));
                ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Solvent.Replication");
                string? restart = null;
                await using (node.ConfigureAwait(false))
                {
                    stream ??= await NatsBlockStream.ConnectAsync(options, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                    var coordinator = new ReplicationCoordinator(node, stream, options, status!, m => log.LogInformation("{Message}", m), m => log.LogError("{Message}", m));
                    await using (coordinator.ConfigureAwait(false))
                    {
                        node.Sequencer.Replicator = coordinator;
                        await app.StartAsync(ct).ConfigureAwait(false);
                        started?.Invoke(node, [.. app.Urls]);
                        coordinator.Start();
                        Task shutdown = app.WaitForShutdownAsync(ct);
                        Task done = await Task.WhenAny(shutdown, coordinator.Restart).ConfigureAwait(false);
                        if (done == coordinator.Restart)
                        {
                            restart = await coordinator.Restart.ConfigureAwait(false);
                            log.LogWarning("rebuilding the node from its log ({Reason})", restart);
                        }

                        using var stopWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        await app.StopAsync(stopWait.Token).ConfigureAwait(false);
                    }
                }

                await app.DisposeAsync().ConfigureAwait(false);
                if (restart is null)
                {
                    return 0;
                }
            }

            return 0;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static ReplicationStatus NewStatus(NodeRuntime node)
    {
        string genesis = File.ReadAllText(Path.Combine(node.Options.DataDir, Recovery.ChainLoader.GenesisFileName));
        return new ReplicationStatus(new FinalityTracker(ValidatorSet.FromGenesis(genesis), Crypto.Eip712Domain.FromGenesis(node.Genesis)));
    }
}
