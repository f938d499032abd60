using System.Globalization;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Eval;
using Solvent.Core.Math;
using Solvent.Node.Api;
using Solvent.Node.Hosting;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Web;

/// <summary>
/// The web app's charts (ScottPlot SVG, or the figures as JSON with <c>?format=json</c>) and its lists of recent
/// liquidations and auto-deleveraging. Nothing here writes to the live engine: the rate curve only reads it
/// between blocks, the heatmap runs on a private copy restored from the live state's snapshot.
/// </summary>
public static class ChartEndpoints
{
    /// <summary>Default largest move of the heatmap, in percent.</summary>
    public const int DefaultMaxMove = 20;

    /// <summary>Most events one request returns.</summary>
    public const int MaxEvents = RecentEvents.DefaultCapacity;

    /// <summary>The heatmap as JSON: USD values (USD, 6 decimals) and counts per asset row and move column.</summary>
    public sealed record HeatmapResponse(long Height, string Measure, IReadOnlyList<int> Moves, IReadOnlyList<string> Assets, IReadOnlyList<IReadOnlyList<Amount>> ValueUsd, IReadOnlyList<IReadOnlyList<int>> Accounts);

    /// <summary>One block of insurance history as JSON: pools in their asset's units, markets in the quote asset's.</summary>
    public sealed record InsuranceRow(long Height, long Time, IReadOnlyList<Amount> Pools, IReadOnlyList<Amount> Markets);

    /// <summary>The insurance history as JSON.</summary>
    public sealed record InsuranceResponse(int Capacity, IReadOnlyList<string> Pools, IReadOnlyList<string> Markets, IReadOnlyList<InsuranceRow> Points);

    /// <summary>A recent event with a line to show for it (symbols and amounts in units).</summary>
    public sealed record EventRow(long Height, long Time, long Sequence, string Kind, string Summary, Core.Events.EngineEvent Event);

    /// <summary>Recent events of one kind, newest first.</summary>
    public sealed record EventsResponse(string Kind, IReadOnlyList<EventRow> Events);

    /// <summary>One event of a subaccount's history with a line to show for it.</summary>
    public sealed record HistoryRow(long Height, long Time, long Sequence, string Signer, string Summary, Core.Events.EngineEvent Event);

    /// <summary>A subaccount's recent history, newest first; <c>Capacity</c> events per subaccount are kept.</summary>
    public sealed record HistoryResponse(string Account, int Capacity, IReadOnlyList<HistoryRow> Events);

    /// <summary>Maps the chart and event endpoints.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        var heatmaps = new HeatmapCache();
        long[]? divisors = null;

        app.MapGet("/v1/web/charts/rate-curve/{asset}", async (string asset, string? format) =>
        {
            if (!TryFormat(format, out bool json, out IResult? bad))
            {
                return bad!;
            }

            int a = node.Genesis.FindAsset(asset);
            if (a < 0)
            {
                return ApiError.Result(400, ErrorCodes.Name(ErrorCode.UnknownAsset), $"unknown asset '{asset}'");
            }

            RateCurve curve;
            try
            {
                curve = await node.Sequencer.QueryAsync(e => RateCurve.Of(e.Pools[a], e.Height)).ConfigureAwait(false);
            }
            catch (SequencerUnavailableException e)
            {
                return ApiError.Result(503, e.Code, e.Message);
            }

            return json ? Results.Json(curve, NodeJson.Options) : Svg(WebCharts.RateCurve(curve.Asset, curve));
        }).WithSummary("A pool's borrow and supply rate over utilization 0..100 % from its own rate model, the current point marked (SVG, or ?format=json)")
            .Produces<RateCurve>().Produces<ApiError>(400);

        app.MapGet("/v1/web/charts/liquidation-heatmap", async (string? format, string? max) =>
        {
            if (!TryFormat(format, out bool json, out IResult? bad))
            {
                return bad!;
            }

            int maxMove = DefaultMaxMove;
            if (max is not null && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxMove) || maxMove < 1 || maxMove > LiquidationHeatmap.MaxMove))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, $"max must be a whole percent from 1 to {LiquidationHeatmap.MaxMove}");
            }

            LiquidationHeatmap map;
            try
            {
                map = (await heatmaps.GetAsync(node).ConfigureAwait(false)).Slice(maxMove);
            }
            catch (SequencerUnavailableException e)
            {
                return ApiError.Result(503, e.Code, e.Message);
            }

            return json ? Results.Json(ToResponse(map), NodeJson.Options) : Svg(WebCharts.Heatmap(map));
        }).WithSummary("Collateral (USD) of subaccounts liquidatable after each single-asset price move of −max..+max % (SVG, or ?format=json); computed on a private copy")
            .Produces<HeatmapResponse>().Produces<ApiError>(400);

        app.MapGet("/v1/web/charts/insurance", async (string? format) =>
        {
            if (!TryFormat(format, out bool json, out IResult? bad))
            {
                return bad!;
            }

            InsurancePoint[] points = node.Insurance.Points();
            string[] pools = [.. node.Genesis.Assets.Select(x => x.Symbol)];
            string[] markets = [.. node.Genesis.Markets.Select(m => m.Symbol)];
            if (json)
            {
                int q = node.Genesis.Assets[node.Genesis.QuoteAsset].QuantumDecimals;
                InsuranceRow[] rows = [.. points.Select(p => new InsuranceRow(
                    p.Height,
                    p.Time,
                    [.. p.PoolInsurance.Select((x, a) => Amount.Of(x, node.Genesis.Assets[a].QuantumDecimals))],
                    [.. p.MarketInsurance.Select(x => Amount.Of(x, q))]))];
                return Results.Json(new InsuranceResponse(node.Insurance.Capacity, pools, markets, rows), NodeJson.Options);
            }

            try
            {
                divisors ??= await node.Sequencer.QueryAsync(e => e.Pools.Select(p => p.ValueDivisor).ToArray()).ConfigureAwait(false);
            }
            catch (SequencerUnavailableException e)
            {
                return ApiError.Result(503, e.Code, e.Message);
            }

            return Svg(WebCharts.Insurance(points, pools, markets, divisors, node.Genesis.QuoteAsset, divisors[node.Genesis.QuoteAsset]));
        }).WithSummary("Insurance funds of every pool and perp market per block since the node started, the last 10,000 blocks (SVG, or ?format=json)")
            .Produces<InsuranceResponse>().Produces<ApiError>(400);

        app.MapGet("/v1/web/oracles", async () =>
        {
            try
            {
                return Results.Json(await node.Sequencer.QueryAsync(OracleFeeds.Of).ConfigureAwait(false), NodeJson.Options);
            }
            catch (SequencerUnavailableException e)
            {
                return ApiError.Result(503, e.Code, e.Message);
            }
        }).WithSummary("How each asset is priced: governance, or a publisher feed with its status, last aggregate, quorum and each publisher's latest report")
            .Produces<OracleFeedsResponse>();

        app.MapGet("/v1/web/events", (string? kind, string? limit) =>
        {
            if (kind is not (RecentEvents.Liquidation or RecentEvents.Adl))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, $"kind must be {RecentEvents.Liquidation} or {RecentEvents.Adl}");
            }

            int n = 50;
            if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > MaxEvents))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, $"limit must be a whole number from 1 to {MaxEvents}");
            }

            return Results.Json(new EventsResponse(kind, [.. node.RecentEvents.Latest(kind, n).Select(e => new EventRow(e.Height, e.Time, e.Sequence, e.Kind, EventSummary.Of(node.Genesis, e.Event), e.Event))]), NodeJson.Options);
        }).WithSummary("Recent liquidations (lending, perp, backstop) or auto-deleveraging events, newest first")
            .Produces<EventsResponse>().Produces<ApiError>(400);

        app.MapGet("/v1/accounts/{address}/{subaccount}/history", (string address, string subaccount, string? limit, string? before) =>
        {
            if (!ReadEndpoints.TryKey(address, subaccount, out Core.State.AccountKey key, out IResult? error))
            {
                return error!;
            }

            int n = 50;
            if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > node.Accounts.Capacity))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, $"limit must be a whole number from 1 to {node.Accounts.Capacity}");
            }

            long beforeHeight = long.MaxValue;
            if (before is not null && (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out beforeHeight) || beforeHeight < 1))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, "before must be a block height of at least 1");
            }

            HistoryEntry[] entries = node.Accounts.Latest(key, n, beforeHeight);
            return Results.Json(new HistoryResponse(key.ToString(), node.Accounts.Capacity, [.. entries.Select(e => new HistoryRow(e.Height, e.Time, e.Sequence, e.Signer, EventSummary.Of(node.Genesis, e.Event), e.Event))]), NodeJson.Options);
        }).WithSummary("The subaccount's recent events (deposits, withdrawals, transfers, trades, funding, liquidations on either side, bridged credits), newest first; `before` pages back by block height. The node keeps the last 200 per subaccount, refilled at start from the blocks after its snapshot; the indexer holds the full history")
            .Produces<HistoryResponse>().Produces<ApiError>(400);
    }

    private static HeatmapResponse ToResponse(LiquidationHeatmap map) => new(
        map.Height,
        "collateral value (USD at current prices) of the subaccounts liquidatable with that asset's price moved by that percent, every other price fixed",
        map.Moves,
        map.Assets,
        [.. map.Value.Select(row => (IReadOnlyList<Amount>)[.. row.Select(v => Amount.Of(v, Precision.ValueDecimals))])],
        map.Accounts);

    private static bool TryFormat(string? format, out bool json, out IResult? error)
    {
        json = format == "json";
        error = format is null or "svg" or "json" ? null : ApiError.Result(400, NodeErrors.BadRequest, "format must be svg or json");
        return error is null;
    }

    private static IResult Svg(string svg) => Results.Text(svg, "image/svg+xml; charset=utf-8");

    /// <summary>
    /// One heatmap per block, over the widest range (every request is a slice of it, so no choice of range makes
    /// the node build it twice): the page asks for it on every block, and it is built once, off the sequencer
    /// thread, from a snapshot taken between blocks.
    /// </summary>
    private sealed class HeatmapCache
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private LiquidationHeatmap? _last;

        public async Task<LiquidationHeatmap> GetAsync(NodeRuntime node)
        {
            if (Fresh(node) is { } hit)
            {
                return hit;
            }

            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (Fresh(node) is { } again)
                {
                    return again;
                }

                byte[] snapshot = await node.Sequencer.QueryChainAsync(WhatIf.Capture).ConfigureAwait(false);
                LiquidationHeatmap map = await Task.Run(() => LiquidationHeatmap.Build(Engine.RestoreSnapshot(node.Genesis, snapshot), LiquidationHeatmap.MaxMove)).ConfigureAwait(false);
                Volatile.Write(ref _last, map);
                return map;
            }
            finally
            {
                _gate.Release();
            }
        }

        private LiquidationHeatmap? Fresh(NodeRuntime node) =>
            Volatile.Read(ref _last) is { } e && e.Height == node.Sequencer.View.Head.Height ? e : null;
    }
}
