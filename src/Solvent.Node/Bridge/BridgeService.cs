using Solvent.Core.Config;
using Solvent.Node.Sequencing;
using Solvent.Node.Settlement;

namespace Solvent.Node.Bridge;

/// <summary>The node's bridge: a <see cref="ChainWatcher"/> per vault chain and the <see cref="RootPoster"/>.</summary>
public sealed class BridgeService : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly SettlementService _settlement;
    private readonly RootPoster? _poster;
    private int _disposed;

    /// <summary>Starts watching every chain with an RPC URL; posts roots when a poster key is given.</summary>
    public BridgeService(Sequencer sequencer, SettlementService settlement, IReadOnlyDictionary<long, string> rpc, string? posterKey, Action<string> log)
    {
        _settlement = settlement;
        SettlementConfig config = settlement.Config;
        for (int i = 0; i < config.Chains.Count; i++)
        {
            if (!rpc.TryGetValue(config.Chains[i].ChainId, out string? url))
            {
                log($"bridge: no RPC URL for vault chain {config.Chains[i].ChainId} (Solvent:Rpc:{config.Chains[i].ChainId}); its deposits wait");
                continue;
            }

            var w = new ChainWatcher(sequencer, config, i, url, log);
            Watchers.Add(w);
            _tasks.Add(Task.Run(() => w.RunAsync(_stop.Token)));
        }

        if (posterKey is not null && config.Chains.All(c => rpc.ContainsKey(c.ChainId)))
        {
            _poster = new RootPoster(config, rpc, posterKey, log);
            settlement.Committed += _poster.Offer;
            if (settlement.Latest is { } latest)
            {
                _poster.Offer(latest);
            }

            _tasks.Add(Task.Run(() => _poster.RunAsync(_stop.Token)));
        }
    }

    /// <summary>The chain watchers.</summary>
    public List<ChainWatcher> Watchers { get; } = [];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // A host and a test may both stop the node; the second stop has nothing left to do.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_poster is not null)
        {
            _settlement.Committed -= _poster.Offer;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        _stop.Dispose();
    }
}
