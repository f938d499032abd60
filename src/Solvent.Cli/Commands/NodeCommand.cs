using System.CommandLine;
using Solvent.Core.State;
using Solvent.Node.Dev;
using Solvent.Node.Hosting;
using Solvent.Node.Recovery;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent node</c>: runs a node (sequencer, block log, HTTP/WebSocket API). Settings follow ASP.NET
/// conventions: <c>appsettings.json</c> in the working directory, then <c>Solvent__*</c> environment
/// variables, then these flags.
/// </summary>
internal static class NodeCommand
{
    /// <summary>Where the node listens unless told otherwise (loopback only).</summary>
    public const string DefaultUrls = "http://127.0.0.1:8645";

    public static Command Build()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory: block log, snapshots, genesis copy (default ./data; config key Solvent:DataDir)" };
        var genesis = new Option<string?>("--genesis") { Description = "Genesis JSON file (default: the embedded scenarios/genesis.example.json; config key Solvent:GenesisFile)" };
        var urls = new Option<string?>("--urls") { Description = $"Listen URLs, ';'-separated (default {DefaultUrls}; config key urls)" };
        var dev = new Option<bool>("--dev") { Description = "Development chain: faucet endpoint POST /v1/dev/faucet, funded demo keys printed at start, governance held by a published demo key" };
        var blockMs = new Option<int?>("--block-ms") { Description = "Longest wait from the first pending action to the block cut, ms (default 20; Solvent:BlockIntervalMs)" };
        var blockActions = new Option<int?>("--block-actions") { Description = "Most actions per block (default 2000; Solvent:MaxBlockActions)" };
        var snapshotEvery = new Option<int?>("--snapshot-every") { Description = "Snapshot every N blocks, 0 = never (default 1000; Solvent:SnapshotEvery)" };
        var maxBody = new Option<int?>("--max-body") { Description = "Largest request body in bytes (default 16384; Solvent:MaxBodyBytes)" };
        var signerRate = new Option<int?>("--signer-rate") { Description = "Average actions a second one signer may send, 0 = no limit (default 100; Solvent:SignerRatePerSecond)" };
        var signerBurst = new Option<int?>("--signer-burst") { Description = "Actions one signer may send at once before the rate applies (default 400; Solvent:SignerBurst)" };
        var nats = new Option<string?>("--nats") { Description = "Replicate through this NATS JetStream cluster (comma-separated URLs): blocks go to an R3 stream before they are acknowledged; nodes elect a leader with a lease and the others follow, re-execute and serve reads (see docs/replication.md)" };
        var validator = new Option<bool>("--validator") { Description = "With --nats: re-execute every block and sign an attestation of each root with --key" };
        var key = new Option<string?>("--key") { Description = "With --validator: file holding the validator's 32-byte secp256k1 private key as hex" };
        var advertise = new Option<string?>("--advertise") { Description = "With --nats: this node's API URL as other nodes tell clients while it leads (default: the first listen URL)" };
        var noLead = new Option<bool>("--no-lead") { Description = "With --nats: follow and serve reads, never take the leader lease" };
        var leaseMs = new Option<int?>("--lease-ms") { Description = "With --nats: leader lease lifetime in ms (default 3000)" };
        var cmd = new Command("node", "Run a Solvent node: signed actions in over HTTP, blocks to a durable log, state and proofs out (OpenAPI UI at /scalar, metrics at /metrics, WebSocket at /v1/stream)")
        {
            dataDir, genesis, urls, dev, blockMs, blockActions, snapshotEvery, maxBody, signerRate, signerBurst, nats, validator, key, advertise, noLead, leaseMs,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var o = new Dictionary<string, string?>();
            void Set(string key, object? v)
            {
                if (v is not null)
                {
                    o[$"{NodeHost.Section}:{key}"] = Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Set("DataDir", p.GetValue(dataDir));
            Set("GenesisFile", p.GetValue(genesis));
            Set("BlockIntervalMs", p.GetValue(blockMs));
            Set("MaxBlockActions", p.GetValue(blockActions));
            Set("SnapshotEvery", p.GetValue(snapshotEvery));
            Set("MaxBodyBytes", p.GetValue(maxBody));
            Set("SignerRatePerSecond", p.GetValue(signerRate));
            Set("SignerBurst", p.GetValue(signerBurst));
            if (p.GetValue(dev))
            {
                Set("Dev", true);
            }

            if (p.GetValue(nats) is { } natsUrls)
            {
                return await ReplicatedCommand.RunAsync(o, p.GetValue(urls) ?? DefaultUrls, natsUrls, p.GetValue(validator), p.GetValue(key), p.GetValue(advertise), !p.GetValue(noLead), p.GetValue(leaseMs), ct).ConfigureAwait(false);
            }

            if (p.GetValue(validator) || p.GetValue(key) is not null)
            {
                Console.Error.WriteLine("error: --validator and --key need --nats (a validator follows a replicated block stream)");
                return 2;
            }

            return await RunAsync(o, p.GetValue(urls), ct).ConfigureAwait(false);
        });
        return cmd;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> overrides, string? urls, CancellationToken ct)
    {
        WebApplication app;
        NodeRuntime node;
        try
        {
            (app, node) = NodeHost.Build(overrides, configure: b => b.WebHost.UseUrls(urls ?? b.Configuration["urls"] ?? DefaultUrls));
        }
        catch (Exception e) when (e is RecoveryException or InvalidDataException or IOException or InvalidOperationException or Core.Config.GenesisException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: the node cannot start: {e.Message}");
            return 2;
        }

        await using (node.ConfigureAwait(false))
        {
            await app.StartAsync(ct).ConfigureAwait(false);
            string where = string.Join(", ", app.Urls);
            Console.WriteLine($"solvent node: {node.Genesis.Name}, chain {node.Genesis.ChainId}, height {node.Summary.Blocks}, data {Path.GetFullPath(node.Options.DataDir)}");
            Console.WriteLine($"listening on {where}  (API reference {app.Urls.First()}/scalar, metrics /metrics, stream /v1/stream)");
            Console.WriteLine($"web app: {app.Urls.First()}/app/");
            _ = WarmAsync(app.Urls.First(), node, ct);
            Console.WriteLine(Solvent.Crypto.NativeSecp256k1.Instance is null
                ? "signatures: BouncyCastle (install Debian's libsecp256k1-1 for native recovery, several times faster)"
                : "signatures: libsecp256k1 (native)");
            if (node.Dev is { } keys)
            {
                await PrintAndFundDevKeysAsync(node, keys, app.Urls.First()).ConfigureAwait(false);
            }

            await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
        }

        return node.Sequencer.Fault is null || node.Sequencer.Fault == "the node is shutting down" ? 0 : 1;
    }

    // In the background: the node already answers while its endpoints are warmed.
    private static async Task WarmAsync(string url, NodeRuntime node, CancellationToken ct)
    {
        TimeSpan took = await WebWarmup.RunAsync(WebWarmup.Loopback(url), node, ct).ConfigureAwait(false);
        Console.WriteLine($"web app warmed up in {took.TotalMilliseconds:F0} ms ({WebWarmup.Paths(node).Count} reads)");
    }

    /// <summary>About $1,000,000 of <paramref name="asset"/> at its genesis price, in quantums, at most half its supply cap (0 when uncapped means no cap).</summary>
    private static long DevLiquidity(Core.Config.Genesis g, int asset)
    {
        Core.Config.AssetConfig c = g.Assets[asset];
        if (c.InitialPrice <= 0)
        {
            return 0;
        }

        Int128 amount = (Int128)1_000_000 * Pow10(c.QuantumDecimals) * 100_000_000 / c.InitialPrice;
        long cap = g.Risk[asset].SupplyCap;
        if (cap > 0)
        {
            amount = Int128.Min(amount, cap / 2);
        }

        return amount > long.MaxValue / 4 ? long.MaxValue / 4 : (long)amount;
    }

    private static async Task PrintAndFundDevKeysAsync(NodeRuntime node, DevKeys keys, string url)
    {
        Console.WriteLine("dev chain: demo keys (public seeds; never use for real funds):");
        int usdc = node.Genesis.FindAsset("USDC"), eth = node.Genesis.FindAsset("ETH");
        foreach ((string seed, Crypto.ActionSigner signer) in keys.Users)
        {
            Console.WriteLine($"  {seed,-8} {signer.Address}  key {DevKeys.PrivateKeyHex(seed)}");
            if (node.Summary.Blocks == 0)
            {
                var account = new AccountKey(signer.Address, 0);
                if (usdc >= 0)
                {
                    await DevEndpoints.Fund(node, keys, account, usdc, 100_000L * Pow10(node.Genesis.Assets[usdc].QuantumDecimals)).ConfigureAwait(false);
                }

                if (eth >= 0)
                {
                    await DevEndpoints.Fund(node, keys, account, eth, 10L * Pow10(node.Genesis.Assets[eth].QuantumDecimals)).ConfigureAwait(false);
                }
            }
        }

        // Every pool gets lenders' cash, so a newcomer's first borrow of any asset finds liquidity.
        bool first = node.Summary.Blocks == 0;
        if (first)
        {
            var lender = new AccountKey(keys.Faucet.Address, 0);
            for (int a = 0; a < node.Genesis.Assets.Count; a++)
            {
                if (DevLiquidity(node.Genesis, a) is long amount and > 0)
                {
                    await DevEndpoints.Fund(node, keys, lender, a, amount).ConfigureAwait(false);
                }
            }
        }

        Console.WriteLine($"  governance {keys.Governance.Address}  key {DevKeys.PrivateKeyHex(DevKeys.GovernanceSeed)}");
        Console.WriteLine(first
            ? $"  each user was funded with 100,000 USDC and 10 ETH in subaccount 0; the faucet key {keys.Faucet.Address} supplies about $1,000,000 of every asset so every pool can lend"
            : "  (funded on the first start)");
        Console.WriteLine($"  faucet: curl -X POST {url}/v1/dev/faucet -H 'content-type: application/json' -d '{{\"owner\":\"{keys.Users[0].Signer.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"1000\"}}'");
        Console.WriteLine($"  account: curl {url}/v1/accounts/{keys.Users[0].Signer.Address}/0");
    }

    private static long Pow10(int n)
    {
        long v = 1;
        for (int i = 0; i < n; i++)
        {
            v = checked(v * 10);
        }

        return v;
    }
}
