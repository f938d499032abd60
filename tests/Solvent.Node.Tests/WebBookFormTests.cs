using System.Globalization;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

/// <summary>The web app's limit-order and cancel forms: checked before signing, signed by a demo key or as the typed data a wallet signs.</summary>
public class WebBookFormTests
{
    [Fact]
    public async Task A_limit_order_form_rests_in_the_book_and_the_cancel_form_removes_it()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("alice");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{alice.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"10000\"}}", 200);
        await Post(n, "/v1/dev/act", "{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"subaccount\":0,\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"0.25\",\"price\":\"2950.5\",\"postOnly\":true}", 200);
        JsonElement orders = (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/orders")).GetProperty("orders");
        JsonElement o = Assert.Single(orders.EnumerateArray());
        Assert.Equal(("buy", "2950.5", "0.25", "postOnly"), (o.GetProperty("side").GetString(), o.GetProperty("price").GetString(), o.GetProperty("size").GetString(), o.GetProperty("type").GetString()));
        JsonElement bid = Assert.Single((await n.GetJsonAsync("/v1/markets/ETH-PERP/book")).GetProperty("bids").EnumerateArray());
        Assert.Equal("2950.5", bid.GetProperty("price").GetString());

        string id = o.GetProperty("id").GetRawText().Trim('"');
        await Post(n, "/v1/dev/act", $"{{\"type\":\"CancelOrder\",\"signer\":\"alice\",\"subaccount\":0,\"market\":\"ETH-PERP\",\"orderId\":\"{id}\"}}", 200);
        Assert.Empty((await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/orders")).GetProperty("orders").EnumerateArray());
        Assert.Empty((await n.GetJsonAsync("/v1/markets/ETH-PERP/book")).GetProperty("bids").EnumerateArray());
    }

    [Fact]
    public async Task The_checked_limit_order_and_cancel_are_the_typed_data_a_wallet_signs()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner carol = n.Signer("carol");
        var key = new AccountKey(carol.Address, 0);
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{carol.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"10000\"}}", 200);
        JsonElement c = await Post(n, "/v1/web/check", "{\"type\":\"LimitOrder\",\"subaccount\":0,\"market\":\"eth-perp\",\"side\":\"sell\",\"size\":\"0.5\",\"price\":\"3100.01\"}", 200);
        Assert.Equal("PlaceBookOrder", c.GetProperty("type").GetString());
        Assert.Equal("310001000000", c.GetProperty("price").GetString());
        Assert.Equal("500000000", c.GetProperty("size").GetString());
        Assert.False(c.GetProperty("buy").GetBoolean());
        Assert.Equal((int)OrderType.Limit, c.GetProperty("orderType").GetInt32());
        var order = new PlaceBookOrder(carol.Address, key, c.GetProperty("market").GetInt32(), false, 310_001_000_000, 500_000_000, OrderType.Limit, TimeInForce.Gtc, 0, false);
        using (HttpResponseMessage r = await n.SubmitAsync(carol, order, await Nonce(n, carol)))
        {
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        }

        string id = Assert.Single((await n.GetJsonAsync($"/v1/accounts/{carol.Address}/0/orders")).GetProperty("orders").EnumerateArray()).GetProperty("id").GetRawText().Trim('"');
        JsonElement cancel = await Post(n, "/v1/web/check", $"{{\"type\":\"CancelOrder\",\"subaccount\":0,\"market\":\"ETH-PERP\",\"orderId\":\"{id}\"}}", 200);
        Assert.Equal(("CancelOrder", id), (cancel.GetProperty("type").GetString(), cancel.GetProperty("orderId").GetString()));
        using (HttpResponseMessage r = await n.SubmitAsync(carol, new CancelOrder(carol.Address, key, 0, long.Parse(id, CultureInfo.InvariantCulture)), await Nonce(n, carol)))
        {
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        }

        Assert.Empty((await n.GetJsonAsync($"/v1/accounts/{carol.Address}/0/orders")).GetProperty("orders").EnumerateArray());
    }

    [Theory]
    [InlineData("{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"market\":\"DOGE-PERP\",\"side\":\"buy\",\"size\":\"1\",\"price\":\"3000\"}", "UNKNOWN_MARKET")]
    [InlineData("{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"long\",\"size\":\"1\",\"price\":\"3000\"}", "BAD_REQUEST")]
    [InlineData("{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"1\"}", "INVALID_PRICE")]
    [InlineData("{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"1\",\"price\":\"-3000\"}", "INVALID_PRICE")]
    [InlineData("{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"1\",\"price\":\"3000.000000001\"}", "INVALID_PRICE")]
    [InlineData("{\"type\":\"LimitOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"0\",\"price\":\"3000\"}", "INVALID_AMOUNT")]
    [InlineData("{\"type\":\"CancelOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"orderId\":\"-1\"}", "UNKNOWN_ORDER")]
    [InlineData("{\"type\":\"CancelOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\"}", "UNKNOWN_ORDER")]
    [InlineData("{\"type\":\"CancelOrder\",\"signer\":\"alice\",\"market\":\"BTC\",\"orderId\":\"1\"}", "UNKNOWN_MARKET")]
    public async Task Bad_book_forms_are_refused_before_signing(string body, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        string nonce = (await n.GetJsonAsync($"/v1/accounts/{n.Signer("alice").Address}")).GetProperty("nextNonce").GetString()!;
        foreach (string path in new[] { "/v1/dev/act", "/v1/web/check" })
        {
            JsonElement e = await Post(n, path, body, 400);
            Assert.Equal(code, e.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(nonce, (await n.GetJsonAsync($"/v1/accounts/{n.Signer("alice").Address}")).GetProperty("nextNonce").GetString());
    }

    private static async Task<ulong> Nonce(TestNode n, ActionSigner s) =>
        ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{s.Address}")).GetProperty("nextNonce").GetString()!, CultureInfo.InvariantCulture);

    private static async Task<JsonElement> Post(TestNode n, string path, string body, int status)
    {
        using HttpResponseMessage r = await n.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"{path} {body} -> {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
