using Solvent.Core.Config;
using Solvent.Crypto;
using Solvent.Node.Dev;
using Solvent.Node.Ingress;
using Solvent.Node.Recovery;
using Solvent.Node.Sequencing;
using Solvent.Node.Streaming;

namespace Solvent.Node.Hosting;

/// <summary>The running parts of a node, owned by the host: recovered chain, sequencer, stream hub, decoder.</summary>
public sealed class NodeRuntime : IAsyncDisposable
{
    /// <summary>Recovers the data directory and starts the sequencer.</summary>
    public NodeRuntime(NodeOptions options, Func<Genesis, IActionDecoder> decoder, Action<string> log)
    {
        Options = options;
        string requested = options.GenesisJson ?? NodeOptions.ExampleGenesis();
        if (options.Dev && options.GenesisJson is null)
        {
            // The dev chain hands governance to a published demo key so oracle prices can be moved.
            var domain = Eip712Domain.FromGenesis(GenesisLoader.Parse(requested));
            requested = DevKeys.DevGenesis(requested, new DevKeys(domain).Governance.Address.ToString());
        }

        string genesisText = ChainLoader.ResolveGenesis(options.DataDir, requested, save: true);
        Genesis = GenesisLoader.Parse(genesisText);
        Decoder = decoder(Genesis);
        TypedData = new TypedDataBody(Decoder.DescribeSchema());
        Dev = options.Dev ? new DevKeys(Eip712Domain.FromGenesis(Genesis)) : null;
        Chain = ChainLoader.Load(Genesis, options.DataDir, Decoder, log, out ChainLoader.LoadSummary summary, onBlock: Remember);
        Summary = summary;
        Sequencer = new Sequencer(Chain, options.Sequencer, log);
        Sequencer.BlockCommitted += Hub.Publish;
        Sequencer.BlockCommitted += Insurance.Record;
        Sequencer.BlockCommitted += RecentEvents.Record;
        Sequencer.BlockCommitted += RememberAccounts;
        if (options.Dev && Genesis.Settlement is null)
        {
            log("--dev: custody is declared (no vault chain in this genesis; the faucet's signed deposits credit). Bridged custody needs a genesis settlement section and Solvent:Rpc:<chainId> per vault chain (docs/settlement.md)");
        }

        if (Genesis.Settlement is not null)
        {
            byte[]? validatorKey = options.ValidatorKey is { } k ? ParseKey(k, "ValidatorKey")
                : options.Dev ? Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(DevKeys.ValidatorSeed)) : null;
            Settlement = new Settlement.SettlementService(Sequencer, Genesis, validatorKey, log);
            if (options.Rpc.Count > 0)
            {
                Bridge = new Bridge.BridgeService(Sequencer, Settlement, options.Rpc, options.PosterKey, log);
            }
        }
        RateLimiter = options.SignerRatePerSecond > 0
            ? new SignerRateLimiter(options.SignerRatePerSecond, Math.Max(1, options.SignerBurst), Math.Max(1, options.SignerRateMaxTracked))
            : null;
    }

    // The web app's histories are not consensus state; at start they are refilled from the blocks recovery
    // replays, so a restart does not blank the charts and lists (blocks before the restored snapshot are the
    // indexer's to serve).
    private void Remember(ReplayedBlock b)
    {
        Core.Blocks.BlockHeader h = b.Result.Header;
        Insurance.Record(h.Height, h.Time, b.Engine);
        for (int i = 0; i < b.Result.Results.Count; i++)
        {
            Core.Actions.ActionResult r = b.Result.Results[i];
            if (r.Ok)
            {
                RecentEvents.Record(h.Height, h.Time, b.FirstSequence + i, r.Events);
                Accounts.Record(h.Height, h.Time, b.FirstSequence + i, b.Signers[i].ToString(), r.Events);
            }
        }
    }

    private void RememberAccounts(BlockNotice notice)
    {
        foreach (ActionOutcome o in notice.Outcomes)
        {
            Accounts.Record(notice.Header.Height, notice.Header.Time, o.Sequence, o.Signer, o.Events);
        }
    }

    private static byte[] ParseKey(string hex, string name)
    {
        string digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        byte[]? key = digits.Length == 64 && digits.All(Uri.IsHexDigit) ? Convert.FromHexString(digits) : null;
        return key is not null && Secp256k1.IsValidPrivateKey(key)
            ? key
            : throw new InvalidOperationException($"Solvent:{name} must be a secp256k1 private key: 0x and 64 hex digits");
    }

    /// <summary>Reads <c>eth_signTypedData_v4</c>-shaped action bodies.</summary>
    public TypedDataBody TypedData { get; }

    /// <summary>Per-signer rate limit at ingress, or null when switched off.</summary>
    public SignerRateLimiter? RateLimiter { get; }

    /// <summary>Demo keys with <c>--dev</c>, else null.</summary>
    public DevKeys? Dev { get; }

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

    /// <summary>Commitments of a venue with a settlement section, else null.</summary>
    public Settlement.SettlementService? Settlement { get; }

    /// <summary>The bridge to the vault chains, when RPC URLs are configured.</summary>
    public Bridge.BridgeService? Bridge { get; }

    /// <summary>Insurance funds per block (the web app's chart; not consensus state).</summary>
    public Web.InsuranceHistory Insurance { get; } = new();

    /// <summary>Recent liquidations and auto-deleveraging events (the web app's lists; not consensus state).</summary>
    public Web.RecentEvents RecentEvents { get; } = new();

    /// <summary>The recent events naming each subaccount (the web app's account history; not consensus state).</summary>
    public Web.AccountHistory Accounts { get; } = new();

    /// <summary>WebSocket fan-out.</summary>
    public StreamHub Hub { get; } = new();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Bridge is not null)
        {
            await Bridge.DisposeAsync().ConfigureAwait(false);
        }

        if (Settlement is not null)
        {
            await Settlement.DisposeAsync().ConfigureAwait(false);
        }

        await Sequencer.DisposeAsync().ConfigureAwait(false);
        Chain.Dispose();
    }
}
