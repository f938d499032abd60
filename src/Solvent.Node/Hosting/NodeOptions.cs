using Solvent.Node.Sequencing;

namespace Solvent.Node.Hosting;

/// <summary>How a node starts: where its data lives, which venue, how it cuts blocks, what it accepts.</summary>
public sealed record NodeOptions
{
    /// <summary>Data directory (block log, snapshots, genesis copy).</summary>
    public string DataDir { get; init; } = "./data";

    /// <summary>Genesis JSON text (the embedded example when null).</summary>
    public string? GenesisJson { get; init; }

    /// <summary>Block cutting and queueing.</summary>
    public SequencerOptions Sequencer { get; init; } = new();

    /// <summary>Largest accepted request body in bytes.</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024;

    /// <summary>Most actions in one <c>POST /v1/actions/batch</c>.</summary>
    public int MaxBatchActions { get; init; } = 256;

    /// <summary>Largest accepted batch body in bytes (each element is still held to <see cref="MaxBodyBytes"/>).</summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>Average actions a second one signer may send (token bucket at ingress); 0 turns the limit off.</summary>
    public int SignerRatePerSecond { get; init; } = 100;

    /// <summary>Actions one signer may send at once before the rate applies.</summary>
    public int SignerBurst { get; init; } = 400;

    /// <summary>Most signers the rate limiter tracks at once (idle ones are forgotten first).</summary>
    public int SignerRateMaxTracked { get; init; } = 100_000;

    /// <summary>Hex private key this node signs settlement attestations with when it is a genesis validator (the dev validator key with <c>--dev</c>).</summary>
    public string? ValidatorKey { get; init; }

    /// <summary>JSON-RPC URL per vault chain id (<c>Solvent:Rpc:&lt;chainId&gt;</c>): the bridge follows each listed chain.</summary>
    public IReadOnlyDictionary<long, string> Rpc { get; init; } = new Dictionary<long, string>();

    /// <summary>Hex private key that pays gas for <c>commitRoot</c> on every vault chain; no roots are posted without it.</summary>
    public string? PosterKey { get; init; }

    /// <summary>Development mode: the faucet endpoint is mapped.</summary>
    public bool Dev { get; init; }

    /// <summary>Reads the embedded example genesis.</summary>
    public static string ExampleGenesis()
    {
        using Stream s = typeof(NodeOptions).Assembly.GetManifestResourceStream("genesis.example.json")
            ?? throw new InvalidOperationException("the example genesis is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
