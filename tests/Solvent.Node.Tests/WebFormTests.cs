using System.Globalization;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class WebFormTests
{
    [Fact]
    public async Task A_transfer_form_moves_funds_between_the_signers_own_subaccounts_only()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("alice");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{alice.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"1000\"}}", 200);
        await Post(n, "/v1/dev/act", "{\"type\":\"Transfer\",\"signer\":\"alice\",\"subaccount\":0,\"toSubaccount\":3,\"asset\":\"USDC\",\"amount\":\"250.5\"}", 200);
        Assert.Equal("749.5", await Balance(n, alice.Address, 0, "USDC"));
        Assert.Equal("250.5", await Balance(n, alice.Address, 3, "USDC"));

        // More than the subaccount holds: sequenced and refused by the engine, nothing moves.
        JsonElement over = await Post(n, "/v1/dev/act", "{\"type\":\"Transfer\",\"signer\":\"alice\",\"subaccount\":3,\"toSubaccount\":0,\"asset\":\"USDC\",\"amount\":\"250.500001\"}", 422);
        Assert.Equal("INSUFFICIENT_BALANCE", over.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("250.5", await Balance(n, alice.Address, 3, "USDC"));

        // The check answers the typed data a wallet signs: from and to are the signer's, amount in quantums.
        JsonElement c = await Post(n, "/v1/web/check", "{\"type\":\"Transfer\",\"subaccount\":3,\"toSubaccount\":7,\"asset\":\"USDC\",\"amount\":\"0.25\"}", 200);
        Assert.Equal("Transfer", c.GetProperty("type").GetString());
        Assert.Equal("250000", c.GetProperty("amount").GetString());
        Assert.Equal(7u, c.GetProperty("toSubaccount").GetUInt32());
    }

    [Fact]
    public async Task An_order_form_opens_a_perp_position_and_the_close_form_closes_it_reduce_only()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner bob = n.Signer("bob");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{bob.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"10000\"}}", 200);
        await Post(n, "/v1/dev/act", "{\"type\":\"PlaceOrder\",\"signer\":\"bob\",\"subaccount\":0,\"market\":\"ETH-PERP\",\"side\":\"sell\",\"size\":\"0.5\",\"worstPrice\":\"2900\"}", 200);
        Assert.Equal("-0.5", await PositionSize(n, bob.Address, "ETH-PERP"));

        // The close form signs the opposite of what is held now, reduce-only.
        JsonElement c = await Post(n, "/v1/web/check", $"{{\"type\":\"ClosePosition\",\"owner\":\"{bob.Address}\",\"subaccount\":0,\"market\":\"ETH-PERP\"}}", 200);
        Assert.Equal("PlaceOrder", c.GetProperty("type").GetString());
        Assert.Equal("500000000", c.GetProperty("size").GetString());
        Assert.True(c.GetProperty("reduceOnly").GetBoolean());
        Assert.Equal("0", c.GetProperty("worstPrice").GetString());
        await Post(n, "/v1/dev/act", "{\"type\":\"ClosePosition\",\"signer\":\"bob\",\"subaccount\":0,\"market\":\"ETH-PERP\",\"worstPrice\":\"3100\"}", 200);
        Assert.True(await PositionSize(n, bob.Address, "ETH-PERP") is null or "0");
        JsonElement none = await Post(n, "/v1/dev/act", "{\"type\":\"ClosePosition\",\"signer\":\"bob\",\"subaccount\":0,\"market\":\"ETH-PERP\"}", 400);
        Assert.Equal("NO_POSITION", none.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_checked_order_is_the_typed_data_a_wallet_signs()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner carol = n.Signer("carol");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{carol.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"10000\"}}", 200);
        JsonElement c = await Post(n, "/v1/web/check", "{\"type\":\"PlaceOrder\",\"subaccount\":0,\"market\":\"eth-perp\",\"side\":\"buy\",\"size\":\"0.25\",\"worstPrice\":\"3100.5\"}", 200);
        Assert.Equal("250000000", c.GetProperty("size").GetString());
        Assert.Equal("310050000000", c.GetProperty("worstPrice").GetString());
        var order = new PlaceOrder(carol.Address, new AccountKey(carol.Address, 0), c.GetProperty("market").GetInt32(), long.Parse(c.GetProperty("size").GetString()!, CultureInfo.InvariantCulture), long.Parse(c.GetProperty("worstPrice").GetString()!, CultureInfo.InvariantCulture), c.GetProperty("reduceOnly").GetBoolean());
        ulong nonce = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{carol.Address}")).GetProperty("nextNonce").GetString()!, CultureInfo.InvariantCulture);
        using HttpResponseMessage r = await n.SubmitAsync(carol, order, nonce);
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        Assert.Equal("0.25", await PositionSize(n, carol.Address, "ETH-PERP"));
    }

    [Theory]
    [InlineData("{\"type\":\"Transfer\",\"signer\":\"alice\",\"subaccount\":2,\"toSubaccount\":2,\"asset\":\"USDC\",\"amount\":\"1\"}", "SAME_ACCOUNT")]
    [InlineData("{\"type\":\"Transfer\",\"signer\":\"alice\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"1\"}", "BAD_REQUEST")]
    [InlineData("{\"type\":\"Transfer\",\"signer\":\"alice\",\"subaccount\":0,\"toSubaccount\":-1,\"asset\":\"USDC\",\"amount\":\"1\"}", "MALFORMED_JSON")]
    [InlineData("{\"type\":\"Transfer\",\"signer\":\"alice\",\"subaccount\":0,\"toSubaccount\":1,\"asset\":\"USDC\",\"amount\":\"99999999999999999999\"}", "INVALID_AMOUNT")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"DOGE-PERP\",\"side\":\"buy\",\"size\":\"1\"}", "UNKNOWN_MARKET")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"up\",\"size\":\"1\"}", "BAD_REQUEST")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"-1\"}", "INVALID_AMOUNT")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"sell\",\"size\":\"0\"}", "INVALID_AMOUNT")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"1.0000000001\"}", "INVALID_AMOUNT")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"9223372036854775807\"}", "INVALID_AMOUNT")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"1\",\"worstPrice\":\"-3000\"}", "INVALID_PRICE")]
    [InlineData("{\"type\":\"PlaceOrder\",\"signer\":\"alice\",\"market\":\"ETH-PERP\",\"side\":\"buy\",\"size\":\"1\",\"worstPrice\":\"1e9\"}", "INVALID_PRICE")]
    [InlineData("{\"type\":\"ClosePosition\",\"signer\":\"alice\",\"market\":\"ETH-PERP\"}", "NO_POSITION")]
    [InlineData("{\"type\":\"ClosePosition\",\"signer\":\"alice\",\"market\":\"\"}", "UNKNOWN_MARKET")]
    public async Task Bad_transfer_and_order_forms_are_refused_before_signing(string body, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{n.Signer("alice").Address}\",\"subaccount\":2,\"asset\":\"USDC\",\"amount\":\"10\"}}", 200);
        string root = await n.StateRootAsync();
        string nonce = (await n.GetJsonAsync($"/v1/accounts/{n.Signer("alice").Address}")).GetProperty("nextNonce").GetString()!;
        foreach (string path in new[] { "/v1/dev/act", "/v1/web/check" })
        {
            JsonElement e = await Post(n, path, body, 400);
            Assert.Equal(code, e.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(root, await n.StateRootAsync());
        Assert.Equal(nonce, (await n.GetJsonAsync($"/v1/accounts/{n.Signer("alice").Address}")).GetProperty("nextNonce").GetString());
    }

    private static async Task<string?> Balance(TestNode n, Address owner, uint sub, string asset) =>
        (await n.GetJsonAsync($"/v1/accounts/{owner}/{sub}")).GetProperty("account").GetProperty("balances").EnumerateArray()
            .Where(b => b.GetProperty("asset").GetString() == asset).Select(b => b.GetProperty("balance").GetProperty("value").GetString()).SingleOrDefault();

    private static async Task<string?> PositionSize(TestNode n, Address owner, string market) =>
        (await n.GetJsonAsync($"/v1/accounts/{owner}/0")).GetProperty("account").GetProperty("positions").EnumerateArray()
            .Where(p => p.GetProperty("market").GetString() == market).Select(p => p.GetProperty("size").GetProperty("value").GetString()).SingleOrDefault();

    private static async Task<JsonElement> Post(TestNode n, string path, string body, int status)
    {
        using HttpResponseMessage r = await n.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"{path} {body} -> {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
