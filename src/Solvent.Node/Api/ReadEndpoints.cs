using System.Globalization;
using System.Text.Json;
using Solvent.Core;
using Solvent.Core.Eval;
using Solvent.Core.State;
using Solvent.Node.Hosting;
using Solvent.Node.Views;
using Solvent.Storage;

namespace Solvent.Node.Api;

/// <summary>
/// Read endpoints. Venue-wide data (assets, markets, latest block, liquidatable set) comes from the
/// immutable <see cref="ChainView"/> published after each block; per-subaccount reports need exact
/// health at current prices, so they run as queries on the sequencer loop between blocks.
/// </summary>
public static class ReadEndpoints
{
    /// <summary>A subaccount report at a height.</summary>
    public sealed record AccountResponse(long Height, SubaccountReport Account);

    /// <summary>Every subaccount of an owner at a height.</summary>
    public sealed record OwnerResponse(long Height, string Owner, string NextNonce, IReadOnlyList<SubaccountReport> Subaccounts);

    /// <summary>A committed block: header and its signed actions as submitted.</summary>
    public sealed record BlockResponse(BlockHeaderView Header, IReadOnlyList<JsonElement> Actions);

    /// <summary>The liquidatable subaccounts after a block.</summary>
    public sealed record LiquidatableResponse(long Height, IReadOnlyList<AccountRef> Accounts);

    /// <summary>
    /// A Merkle proof that a subaccount's canonical bytes are leaf <paramref name="Index"/> of the accounts
    /// root in the header of block <paramref name="Height"/> (verify with <c>MerkleTree.Verify</c>).
    /// </summary>
    /// <remarks>The members <c>root</c>, <c>index</c>, <c>leaf</c> and <c>path</c> are what <c>solvent verify</c> reads (docs/node-api.md, State proofs).</remarks>
    public sealed record ProofResponse(long Height, string StateRoot, string Root, string Owner, uint Subaccount, int Index, int Leaves, string Leaf, IReadOnlyList<string> Path);

    /// <summary>Node liveness.</summary>
    public sealed record HealthResponse(string Status, long Height, string StateRoot, int QueueDepth, string? Fault);

    /// <summary>Maps the read endpoints.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        MapProof(app, node);
        app.MapGet("/v1/health", () => Results.Json(
            new HealthResponse(node.Sequencer.Fault is null ? "ok" : "faulted", node.Sequencer.View.Head.Height, node.Sequencer.View.Head.StateRoot, node.Sequencer.QueueDepth, node.Sequencer.Fault),
            NodeJson.Options)).WithSummary("Liveness, height and state root").Produces<HealthResponse>();

        app.MapGet("/v1/eip712", () => Results.Text(node.Decoder.DescribeSchema(), "application/json"))
            .WithSummary("EIP-712 domain and action types to sign against");

        app.MapGet("/v1/assets", () => Stopped(node) ?? Results.Json(node.Sequencer.View.Assets, NodeJson.Options))
            .WithSummary("Asset pools: prices, supply, debt, rates").Produces<IReadOnlyList<AssetView>>().Produces<ApiError>(503);

        app.MapGet("/v1/markets", () => Stopped(node) ?? Results.Json(node.Sequencer.View.Markets, NodeJson.Options))
            .WithSummary("Perpetual markets: index and mark price, open interest, funding").Produces<IReadOnlyList<MarketView>>().Produces<ApiError>(503);

        app.MapGet("/v1/liquidatable", () =>
        {
            ChainView v = node.Sequencer.View;
            return Stopped(node) ?? Results.Json(new LiquidatableResponse(v.Head.Height, v.Liquidatable), NodeJson.Options);
        }).WithSummary("Subaccounts below maintenance after the last block (incremental risk index)").Produces<LiquidatableResponse>().Produces<ApiError>(503);

        app.MapGet("/v1/blocks/latest", () => Block(node, node.Sequencer.View.Head.Height))
            .WithSummary("The last committed block").Produces<BlockResponse>().Produces<ApiError>(404);

        app.MapGet("/v1/blocks/{height}", (string height) =>
            long.TryParse(height, NumberStyles.None, CultureInfo.InvariantCulture, out long h)
                ? Block(node, h)
                : ApiError.Result(400, NodeErrors.BadRequest, "height must be a non-negative integer"))
            .WithSummary("A committed block by height").Produces<BlockResponse>().Produces<ApiError>(400).Produces<ApiError>(404);

        app.MapGet("/v1/accounts/{address}", async (string address) =>
        {
            if (!Address.TryParse(address, out Address owner))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, "address must be 0x followed by 40 hex digits");
            }

            return await ReadAsync(node, c => Owner(c, owner), r => Results.Json(r, NodeJson.Options)).ConfigureAwait(false);
        }).WithSummary("The owner's next nonce and every subaccount with balances, positions, health and liquidation prices (an address the chain has never seen: nextNonce 0 and no subaccounts, so a new wallet can sign its first action)")
            .Produces<OwnerResponse>().Produces<ApiError>(400).Produces<ApiError>(503);

        app.MapGet("/v1/accounts/{address}/{subaccount}", async (string address, string subaccount) =>
        {
            if (!TryKey(address, subaccount, out AccountKey key, out IResult? error))
            {
                return error!;
            }

            return await ReadAsync(
                node,
                c =>
                {
                    Engine e = c.Engine;
                    int id = e.Accounts.Find(key);
                    return id < 0 || e.IsProtocolAccount(id) ? null : new AccountResponse(e.Height, AccountReports.Build(e, id));
                },
                r => r is null ? ApiError.Result(404, NodeErrors.NotFound, $"subaccount {key} does not exist") : Results.Json(r, NodeJson.Options)).ConfigureAwait(false);
        }).WithSummary("One subaccount: balances, positions, health, liquidation prices (decimal strings and raw integers)").Produces<AccountResponse>().Produces<ApiError>(400).Produces<ApiError>(404).Produces<ApiError>(503);
    }

    private static void MapProof(WebApplication app, NodeRuntime node)
    {
        app.MapGet("/v1/accounts/{address}/{subaccount}/proof", async (string address, string subaccount) =>
        {
            if (!TryKey(address, subaccount, out AccountKey key, out IResult? error))
            {
                return error!;
            }

            return await ReadAsync(node, c =>
            {
                Engine e = c.Engine;
                int id = e.Accounts.Find(key);
                if (id < 0)
                {
                    return null;
                }

                byte[][] path = c.Accounts.Proof(id);
                return new ProofResponse(
                    e.Height,
                    Hex.Of(e.LastRoot),
                    Hex.Of(c.Accounts.Root()),
                    key.Owner.ToString(),
                    key.Number,
                    id,
                    c.Accounts.Count,
                    Hex.Of(e.AccountCanonicalBytes(id)),
                    [.. path.Select(p => Hex.Of(p))]);
            },
            r => r is null ? ApiError.Result(404, NodeErrors.NotFound, $"subaccount {key} does not exist") : Results.Json(r, NodeJson.Options)).ConfigureAwait(false);
        }).WithSummary("Merkle proof of a subaccount's canonical bytes against the accounts root of the last block header").Produces<ProofResponse>().Produces<ApiError>(400).Produces<ApiError>(404).Produces<ApiError>(503);
    }

    /// <summary>
    /// Runs a read on the sequencer loop. Once the loop has stopped on a fault the engine may be
    /// mid-block, so state reads answer 503 with the fault's code and message instead of a stale or
    /// half-applied answer (blocks already in the log stay readable).
    /// </summary>
    private static async Task<IResult> ReadAsync<T>(NodeRuntime node, Func<Recovery.ChainState, T> read, Func<T, IResult> answer)
    {
        try
        {
            return answer(await node.Sequencer.QueryChainAsync(read).ConfigureAwait(false));
        }
        catch (Sequencing.SequencerUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    private static IResult? Stopped(NodeRuntime node) => node.Sequencer.Stopped is { } e ? Unavailable(e) : null;

    private static IResult Unavailable(Sequencing.SequencerUnavailableException e) => ApiError.Result(StatusCodes.Status503ServiceUnavailable, e.Code, e.Message);

    /// <summary>Parses an owner address and subaccount number from path segments.</summary>
    public static bool TryKey(string address, string subaccount, out AccountKey key, out IResult? error)
    {
        key = default;
        error = null;
        if (!Address.TryParse(address, out Address owner))
        {
            error = ApiError.Result(400, NodeErrors.BadRequest, "address must be 0x followed by 40 hex digits");
            return false;
        }

        if (!uint.TryParse(subaccount, NumberStyles.None, CultureInfo.InvariantCulture, out uint n))
        {
            error = ApiError.Result(400, NodeErrors.BadRequest, "subaccount must be an integer from 0 to 4294967295");
            return false;
        }

        key = new AccountKey(owner, n);
        return true;
    }

    private static OwnerResponse Owner(Recovery.ChainState c, Address owner)
    {
        Engine e = c.Engine;
        var subs = new List<SubaccountReport>();
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            if (e.Accounts.KeyOf(id).Owner.Equals(owner) && !e.IsProtocolAccount(id))
            {
                subs.Add(AccountReports.Build(e, id));
            }
        }

        return new OwnerResponse(e.Height, owner.ToString(), c.Nonces.NextOf(owner).ToString(CultureInfo.InvariantCulture), subs);
    }

    private static IResult Block(NodeRuntime node, long height)
    {
        StoredBlock? b = node.Sequencer.Log.Read(height);
        if (b is null)
        {
            return ApiError.Result(404, NodeErrors.NotFound, $"no block at height {height}; the chain is at {node.Sequencer.View.Head.Height}");
        }

        var actions = new List<JsonElement>(b.Actions.Count);
        foreach (byte[] a in b.Actions)
        {
            using JsonDocument d = JsonDocument.Parse(a);
            actions.Add(d.RootElement.Clone());
        }

        var header = new BlockHeaderView(b.Height, b.Time, Hex.Of(b.ParentRoot), Hex.Of(b.StateRoot), Hex.Of(b.AccountsRoot), b.Actions.Count, node.Sequencer.Log.FirstSequenceOf(height));
        return Results.Json(new BlockResponse(header, actions), NodeJson.Options);
    }
}
