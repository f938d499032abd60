using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

/// <summary>
/// The order book over the API: signed book actions from two signers, the L2 book and open-order reads, fills
/// in both accounts' stream topics, a refused cancel of another owner's order, bad query parameters and a restart.
/// Expected values are worked by hand from the example genesis (ETH-PERP tick 0.01 USD = 10^6, step 0.001 ETH = 10^6 quantums).
/// </summary>
public class BookApiTests
{
    private const int Eth = 0;
    private const long Usd = 100_000_000;
    private const long Milli = 1_000_000;

    private static PlaceBookOrder Order(ActionSigner s, bool buy, long priceUsd, long milliEth, OrderType type = OrderType.Limit, TimeInForce tif = TimeInForce.Gtc) =>
        new(s.Address, new AccountKey(s.Address, 0), Eth, buy, priceUsd * Usd, milliEth * Milli, type, tif, 0, false);

    private static async Task<JsonElement> Accepted(TestNode n, ActionSigner s, EngineAction a, ulong nonce)
    {
        using HttpResponseMessage r = await n.SubmitAsync(s, a, nonce);
        JsonElement body = await TestNode.JsonOf(r);
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{a}: {(int)r.StatusCode} {body}");
        return body;
    }

    private static long L(JsonElement e) => long.Parse(e.GetRawText().Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    private static long PlacedId(JsonElement body) =>
        L(body.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "BookOrderPlaced").GetProperty("orderId"));

    private static IEnumerable<(long Price, long Size, int Orders)> Side(JsonElement book, string side) =>
        book.GetProperty(side).EnumerateArray().Select(l => (L(l.GetProperty("priceRaw")), L(l.GetProperty("sizeRaw")), l.GetProperty("orders").GetInt32()));

    [Fact]
    public async Task Resting_orders_make_the_book_a_crossing_order_fills_both_accounts_and_cancels_show()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice"), bob = n.Signer("bob");
        await Accepted(n, alice, n.Deposit(alice, "USDC", 10_000_000_000), 0);
        await Accepted(n, bob, n.Deposit(bob, "USDC", 10_000_000_000), 0);
        using WebSocket aliceWs = await Subscribe(n, alice);
        using WebSocket bobWs = await Subscribe(n, bob);

        JsonElement first = await Accepted(n, alice, Order(alice, false, 3001, 100, OrderType.PostOnly), 1);
        long a1 = PlacedId(first);
        List<JsonElement> streamed = await EventsIn(aliceWs, L(first.GetProperty("height")));
        Assert.Contains(streamed, e => e.GetProperty("type").GetString() == "BookOrderPlaced" && L(e.GetProperty("orderId")) == a1);
        long a2 = PlacedId(await Accepted(n, alice, Order(alice, false, 3001, 200), 2));
        long a3 = PlacedId(await Accepted(n, alice, Order(alice, false, 3002, 100), 3));
        long b1 = PlacedId(await Accepted(n, bob, Order(bob, true, 2990, 100), 1));
        Assert.True(a1 < a2 && a2 < a3 && a3 < b1, "ids are arrival numbers");

        JsonElement book = await n.GetJsonAsync("/v1/markets/ETH-PERP/book");
        Assert.Equal("ETH-PERP", book.GetProperty("symbol").GetString());
        Assert.Equal([(3001 * Usd, 300 * Milli, 2), (3002 * Usd, 100 * Milli, 1)], Side(book, "asks"));
        Assert.Equal([(2990 * Usd, 100 * Milli, 1)], Side(book, "bids"));
        Assert.Equal("3001", book.GetProperty("asks")[0].GetProperty("price").GetString());
        Assert.Equal("0.3", book.GetProperty("asks")[0].GetProperty("size").GetString());
        JsonElement top = await n.GetJsonAsync("/v1/markets/0/book?depth=1");
        Assert.Equal([(3001 * Usd, 300 * Milli, 2)], Side(top, "asks"));

        // Bob takes 0.15 ETH at 3001: all of Alice's first order (time priority) and 0.05 of her second.
        JsonElement take = await Accepted(n, bob, Order(bob, true, 3001, 150, OrderType.Limit, TimeInForce.Ioc), 2);
        JsonElement placed = take.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "BookOrderPlaced");
        Assert.Equal("150000000", placed.GetProperty("filled").GetRawText().Trim('"'));
        long height = L(take.GetProperty("height"));
        Assert.Equal(-150 * Milli, await TradedIn(aliceWs, alice, height));
        Assert.Equal(150 * Milli, await TradedIn(bobWs, bob, height));

        book = await n.GetJsonAsync("/v1/markets/ETH-PERP/book?depth=5");
        Assert.Equal([(3001 * Usd, 150 * Milli, 1), (3002 * Usd, 100 * Milli, 1)], Side(book, "asks"));
        JsonElement orders = await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/orders");
        Assert.Equal([a2, a3], orders.GetProperty("orders").EnumerateArray().Select(o => L(o.GetProperty("id"))));
        JsonElement o2 = orders.GetProperty("orders")[0];
        Assert.Equal(("sell", 3001 * Usd, 150 * Milli, "limit", "gtc", "ETH-PERP"), (o2.GetProperty("side").GetString(), L(o2.GetProperty("priceRaw")), L(o2.GetProperty("sizeRaw")), o2.GetProperty("type").GetString(), o2.GetProperty("timeInForce").GetString(), o2.GetProperty("symbol").GetString()));

        // Bob may not cancel Alice's order: stable code, nothing changes. The refusal still takes a block (its
        // nonce is used, and the state root commits to height and time), so compare the accounts root and the book.
        string accounts = await AccountsRootAsync(n);
        string before = (await n.GetJsonAsync("/v1/markets/ETH-PERP/book")).GetProperty("asks").GetRawText();
        using (HttpResponseMessage r = await n.SubmitAsync(bob, new CancelOrder(bob.Address, new AccountKey(bob.Address, 0), Eth, a2), 3))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.Equal("NOT_ORDER_OWNER", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(accounts, await AccountsRootAsync(n));
        Assert.Equal(before, (await n.GetJsonAsync("/v1/markets/ETH-PERP/book")).GetProperty("asks").GetRawText());
        Assert.Equal(2, (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/orders")).GetProperty("orders").GetArrayLength());

        await Accepted(n, alice, new CancelOrder(alice.Address, new AccountKey(alice.Address, 0), Eth, a3), 4);
        orders = await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/orders");
        Assert.Equal([a2], orders.GetProperty("orders").EnumerateArray().Select(o => L(o.GetProperty("id"))));
        await Accepted(n, bob, new CancelAllOrders(bob.Address, new AccountKey(bob.Address, 0), Eth), 4);
        book = await n.GetJsonAsync("/v1/markets/ETH-PERP/book");
        Assert.Empty(Side(book, "bids"));
        Assert.Equal([(3001 * Usd, 150 * Milli, 1)], Side(book, "asks"));
    }

    [Theory]
    [InlineData("/v1/markets/ETH-PERP/book?depth=0", 400, "BAD_REQUEST")]
    [InlineData("/v1/markets/ETH-PERP/book?depth=501", 400, "BAD_REQUEST")]
    [InlineData("/v1/markets/ETH-PERP/book?depth=-1", 400, "BAD_REQUEST")]
    [InlineData("/v1/markets/ETH-PERP/book?depth=ten", 400, "BAD_REQUEST")]
    [InlineData("/v1/markets/DOGE-PERP/book", 404, "NOT_FOUND")]
    [InlineData("/v1/markets/99/book", 404, "NOT_FOUND")]
    [InlineData("/v1/accounts/0x12/0/orders", 400, "BAD_REQUEST")]
    [InlineData("/v1/accounts/0x00000000000000000000000000000000000000aa/x/orders", 400, "BAD_REQUEST")]
    [InlineData("/v1/accounts/0x00000000000000000000000000000000000000aa/0/orders", 404, "NOT_FOUND")]
    public async Task Bad_book_reads_get_a_stable_code(string path, int status, string code)
    {
        await using TestNode n = await TestNode.StartAsync();
        using HttpResponseMessage r = await n.Http.GetAsync(path);
        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal(code, (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_empty_book_reads_as_no_levels()
    {
        await using TestNode n = await TestNode.StartAsync();
        JsonElement book = await n.GetJsonAsync("/v1/markets/BTC-PERP/book");
        Assert.Equal(1, book.GetProperty("market").GetInt32());
        Assert.Empty(Side(book, "bids"));
        Assert.Empty(Side(book, "asks"));
    }

    [Fact]
    public async Task A_restart_replays_to_the_same_root_and_the_same_book()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-book-api-" + Guid.NewGuid().ToString("N"));
        try
        {
            string root, book, orders;
            ActionSigner alice, bob;
            await using (TestNode n = await TestNode.StartAsync(dir))
            {
                alice = n.Signer("alice");
                bob = n.Signer("bob");
                await Accepted(n, alice, n.Deposit(alice, "USDC", 10_000_000_000), 0);
                await Accepted(n, bob, n.Deposit(bob, "USDC", 10_000_000_000), 0);
                await Accepted(n, alice, Order(alice, false, 3005, 300), 1);
                await Accepted(n, alice, Order(alice, false, 3004, 100, OrderType.PostOnly), 2);
                await Accepted(n, bob, Order(bob, true, 2995, 200), 1);
                await Accepted(n, bob, Order(bob, true, 3005, 150, OrderType.Market, TimeInForce.Ioc), 2);
                long r = PlacedId(await Accepted(n, bob, Order(bob, true, 2996, 50), 3));
                await Accepted(n, bob, new ReplaceOrder(bob.Address, new AccountKey(bob.Address, 0), Eth, r, 2997 * Usd, 40 * Milli), 4);
                root = await n.StateRootAsync();
                book = (await n.GetJsonAsync("/v1/markets/ETH-PERP/book")).GetRawText();
                orders = (await n.GetJsonAsync($"/v1/accounts/{bob.Address}/0/orders")).GetRawText();
                Assert.Equal([(2997 * Usd, 40 * Milli, 1), (2995 * Usd, 200 * Milli, 1)], Side(JsonDocument.Parse(book).RootElement, "bids"));
                Assert.Equal([(3005 * Usd, 250 * Milli, 1)], Side(JsonDocument.Parse(book).RootElement, "asks"));
            }

            await using (TestNode n = await TestNode.StartAsync(dir))
            {
                Assert.Equal(root, await n.StateRootAsync());
                Assert.Equal(book, (await n.GetJsonAsync("/v1/markets/ETH-PERP/book")).GetRawText());
                Assert.Equal(orders, (await n.GetJsonAsync($"/v1/accounts/{bob.Address}/0/orders")).GetRawText());
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static async Task<string> AccountsRootAsync(TestNode n) =>
        (await n.GetJsonAsync("/v1/blocks/latest")).GetProperty("header").GetProperty("accountsRoot").GetString()!;

    private static async Task<WebSocket> Subscribe(TestNode n, ActionSigner s)
    {
        WebSocket ws = await n.WebSockets.ConnectAsync(new Uri(n.Http.BaseAddress!, "/v1/stream"), CancellationToken.None);
        await ws.SendAsync(Encoding.UTF8.GetBytes($"{{\"subscribe\":\"account\",\"owner\":\"{s.Address}\",\"subaccount\":0}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal("subscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());
        return ws;
    }

    /// <summary>The events of block <paramref name="height"/> that the stream delivered to this subscription (skipping earlier messages).</summary>
    private static async Task<List<JsonElement>> EventsIn(WebSocket ws, long height)
    {
        for (; ; )
        {
            JsonElement m = await ReceiveAsync(ws);
            if (m.GetProperty("type").GetString() == "events" && L(m.GetProperty("height")) == height)
            {
                return [.. m.GetProperty("events").EnumerateArray().Select(x => x.GetProperty("event"))];
            }
        }
    }

    /// <summary>The signed base size of the account's Traded events in block <paramref name="height"/>.</summary>
    private static async Task<long> TradedIn(WebSocket ws, ActionSigner s, long height) =>
        (await EventsIn(ws, height))
            .Where(x => x.GetProperty("type").GetString() == "Traded" && x.GetProperty("account").GetProperty("owner").GetString() == s.Address.ToString())
            .Sum(x => L(x.GetProperty("size")));

    private static Task<JsonElement> ReceiveAsync(WebSocket ws) => StreamMessages.ReceiveAsync(ws);
}
