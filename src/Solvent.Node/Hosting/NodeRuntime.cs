using Solvent.Core.Config;
using Solvent.Node.Ingress;
using Solvent.Node.Recovery;
using Solvent.Node.Sequencing;
using Solvent.Node.Streaming;

namespace Solvent.Node.Hosting;

/// <summary>The running parts of a node, owned by the host: recovered chain, sequencer, stream hub, decoder.</summary>
public sealed class NodeRuntime : IAsyncDisposable
{
    /// <summary>Recovers the data directory and starts the sequencer.</summary>
    public NodeRuntime(NodeOptions options, IActionDecoder decoder, Action<string> log)
    {
        Options = options;
        Decoder = decoder;
        string genesisText = ChainLoader.ResolveGenesis(options.DataDir, options.GenesisJson ?? NodeOptions.ExampleGenesis(), save: true);
        Genesis = GenesisLoader.Parse(genesisText);
        Chain = ChainLoader.Load(Genesis, options.DataDir, decoder, log, out ChainLoader.LoadSummary summary);
        Summary = summary;
        Sequencer = new Sequencer(Chain, options.Sequencer, log);
        Sequencer.BlockCommitted += Hub.Publish;
    }

    /// <summary>Start options.</summary>
    public NodeOptions Options { get; }

    /// <summary>Signed-action decoder.</summary>
    public IActionDecoder Decoder { get; }

    /// <summary>The venue.</summary>
    public Genesis Genesis { get; }

    /// <summary>The recovered chain.</summary>
    public ChainState Chain { get; }

    /// <summary>What recovery found.</summary>
    public ChainLoader.LoadSummary Summary { get; }

    /// <summary>The single writer.</summary>
    public Sequencer Sequencer { get; }

    /// <summary>WebSocket fan-out.</summary>
    public StreamHub Hub { get; } = new();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Sequencer.DisposeAsync().ConfigureAwait(false);
        Chain.Dispose();
    }
}
