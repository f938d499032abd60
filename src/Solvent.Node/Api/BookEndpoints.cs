using System.Globalization;
using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;
using Solvent.Node.Hosting;

namespace Solvent.Node.Api;

/// <summary>
/// Order-book reads: a market's L2 depth and a subaccount's open orders. The book is consensus state that
/// the sequencer mutates, so both run as queries on the sequencer loop between blocks, never on the request thread.
/// </summary>
public static class BookEndpoints
{
    /// <summary>Levels returned when the query names no depth.</summary>
    public const int DefaultDepth = 20;

    /// <summary>Most levels per side one request may ask for (bounds the work done on the sequencer loop).</summary>
    public const int MaxDepth = 500;

    /// <summary>One aggregated price level: price (USD, decimal string and USD × 1e8), resting size (base units and quantums), order count.</summary>
    public sealed record LevelView(string Price, long PriceRaw, string Size, long SizeRaw, int Orders);

    /// <summary>A market's L2 book at a height: bids descending, asks ascending.</summary>
    public sealed record BookResponse(long Height, int Market, string Symbol, IReadOnlyList<LevelView> Bids, IReadOnlyList<LevelView> Asks);

    /// <summary>One resting order: id, market, side, price, unfilled size, type, time in force and last block (good-til-block, else 0).</summary>
    public sealed record OpenOrderView(long Id, int Market, string Symbol, string Side, string Price, long PriceRaw, string Size, long SizeRaw, string Type, string TimeInForce, long ExpiryBlock);

    /// <summary>A subaccount's resting orders at a height, by market then time.</summary>
    public sealed record OpenOrdersResponse(long Height, string Owner, uint Subaccount, IReadOnlyList<OpenOrderView> Orders);

    /// <summary>Maps the book endpoints.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        app.MapGet("/v1/markets/{market}/book", async (string market, string? depth) =>
        {
            int m = MarketOf(node.Genesis, market);
            if (m < 0)
            {
                return ApiError.Result(404, NodeErrors.NotFound, $"no market '{market}' (a symbol such as {node.Genesis.Markets.FirstOrDefault()?.Symbol ?? "ETH-PERP"} or an id)");
            }

            int n = DefaultDepth;
            if (depth is not null && (!int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > MaxDepth))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, $"depth must be an integer from 1 to {MaxDepth}");
            }

            return await ReadAsync(node, e => Book(node.Genesis, e, m, n)).ConfigureAwait(false);
        }).WithSummary("L2 order book: price levels with aggregated size and order count, bids descending, asks ascending (depth 1–500, default 20)")
            .Produces<BookResponse>().Produces<ApiError>(400).Produces<ApiError>(404).Produces<ApiError>(503);

        app.MapGet("/v1/accounts/{address}/{subaccount}/orders", async (string address, string subaccount) =>
        {
            if (!ReadEndpoints.TryKey(address, subaccount, out AccountKey key, out IResult? error))
            {
                return error!;
            }

            return await ReadAsync(node, e => OpenOrders(node.Genesis, e, key)).ConfigureAwait(false);
        }).WithSummary("A subaccount's resting order-book orders: id, market, side, price, unfilled size, type, time in force, expiry")
            .Produces<OpenOrdersResponse>().Produces<ApiError>(400).Produces<ApiError>(404).Produces<ApiError>(503);
    }

    /// <summary>A market by symbol (any case) or dense id, or −1.</summary>
    public static int MarketOf(Genesis g, string market)
    {
        if (int.TryParse(market, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
        {
            return id < g.Markets.Count ? id : -1;
        }

        return g.FindMarket(market);
    }

    private static async Task<IResult> ReadAsync<T>(NodeRuntime node, Func<Engine, T?> read)
        where T : class
    {
        try
        {
            T? r = await node.Sequencer.QueryAsync(read).ConfigureAwait(false);
            return r is null ? ApiError.Result(404, NodeErrors.NotFound, "subaccount does not exist") : Results.Json(r, NodeJson.Options);
        }
        catch (Sequencing.SequencerUnavailableException e)
        {
            return ApiError.Result(StatusCodes.Status503ServiceUnavailable, e.Code, e.Message);
        }
    }

    private static BookResponse Book(Genesis g, Engine e, int market, int depth)
    {
        PerpMarketConfig c = g.Markets[market];
        OrderBook? book = e.BookOf(market);
        return new BookResponse(e.Height, market, c.Symbol, Levels(g, c, book, OrderSide.Buy, depth), Levels(g, c, book, OrderSide.Sell, depth));
    }

    private static List<LevelView> Levels(Genesis g, PerpMarketConfig c, OrderBook? book, OrderSide side, int depth)
    {
        if (book is null)
        {
            return [];
        }

        var levels = new BookLevel[System.Math.Min(depth, book.Levels(side))];
        int n = book.Depth(side, levels);
        var list = new List<LevelView>(n);
        for (int i = 0; i < n; i++)
        {
            BookLevel l = levels[i];
            long price = checked(l.Price * c.TickSize);
            long size = checked(l.Size * c.StepSize);
            list.Add(new LevelView(DecimalString.Format(price, Precision.PriceDecimals), price, Units(g, c, size), size, l.Orders));
        }

        return list;
    }

    private static OpenOrdersResponse? OpenOrders(Genesis g, Engine e, AccountKey key)
    {
        int id = e.Accounts.Find(key);
        if (id < 0 || e.IsProtocolAccount(id))
        {
            return null;
        }

        var orders = new List<OpenOrderView>();
        for (int m = 0; m < g.Markets.Count; m++)
        {
            if (e.BookOf(m) is not { } book || book.OpenOrders(id) == 0)
            {
                continue;
            }

            PerpMarketConfig c = g.Markets[m];
            foreach (RestingOrder o in book.OrdersOf(id))
            {
                long price = checked(o.Price * c.TickSize);
                long size = checked(o.Remaining * c.StepSize);
                orders.Add(new OpenOrderView(
                    o.Id, m, c.Symbol, o.Side == OrderSide.Buy ? "buy" : "sell", DecimalString.Format(price, Precision.PriceDecimals), price, Units(g, c, size), size,
                    TypeName(o.Type), TifName(o.Tif), o.ExpiryBlock));
            }
        }

        return new OpenOrdersResponse(e.Height, key.Owner.ToString(), key.Number, orders);
    }

    private static string Units(Genesis g, PerpMarketConfig c, long quantums) => DecimalString.Format(quantums, g.Assets[c.BaseAsset].QuantumDecimals);

    /// <summary>Wire name of an order type (the same words the web app's forms use).</summary>
    public static string TypeName(OrderType t) => t switch
    {
        OrderType.Limit => "limit",
        OrderType.Market => "market",
        OrderType.PostOnly => "postOnly",
        _ => "fillOrKill",
    };

    /// <summary>Wire name of a time in force.</summary>
    public static string TifName(TimeInForce t) => t switch
    {
        TimeInForce.Gtc => "gtc",
        TimeInForce.Ioc => "ioc",
        _ => "goodTilBlock",
    };
}
