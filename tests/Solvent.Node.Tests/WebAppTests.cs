using System.Net;
using System.Text;
using System.Text.Json;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class WebAppTests
{
    [Fact]
    public async Task What_if_reaches_liquidatable_on_a_copy_and_the_live_state_root_does_not_move()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("alice");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{n.Signer("bob").Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"100000\"}}", 200);
        await Act(n, "Deposit", "alice", "ETH", "10");
        await Act(n, "Borrow", "alice", "USDC", "20000");
        string root = await n.StateRootAsync();
        JsonElement live = (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0")).GetProperty("account");
        Assert.False(live.GetProperty("liquidatable").GetBoolean());

        JsonElement same = (await n.GetJsonAsync($"/v1/whatif/{alice.Address}/0?asset=ETH&price=3000")).GetProperty("account");
        Assert.Equal(live.GetProperty("maintenanceHealth").GetProperty("raw").GetString(), same.GetProperty("maintenanceHealth").GetProperty("raw").GetString());

        JsonElement moved = (await n.GetJsonAsync($"/v1/whatif/{alice.Address}/0?asset=ETH&price=1500")).GetProperty("account");
        Assert.True(moved.GetProperty("liquidatable").GetBoolean());
        Assert.Equal("1500", moved.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("asset").GetString() == "ETH").GetProperty("price").GetProperty("value").GetString());

        Assert.Equal(root, await n.StateRootAsync());
        JsonElement after = (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0")).GetProperty("account");
        Assert.False(after.GetProperty("liquidatable").GetBoolean());
        Assert.Equal("3000", (await n.GetJsonAsync("/v1/assets")).EnumerateArray().Single(a => a.GetProperty("symbol").GetString() == "ETH").GetProperty("price").GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("0x12/0?asset=ETH&price=1", "BAD_REQUEST")]
    [InlineData("0x0000000000000000000000000000000000000001/x?asset=ETH&price=1", "BAD_REQUEST")]
    [InlineData("0x0000000000000000000000000000000000000001/99999999999?asset=ETH&price=1", "BAD_REQUEST")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=DOGE&price=1", "UNKNOWN_ASSET")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?price=1", "UNKNOWN_ASSET")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=ETH&price=-1", "INVALID_AMOUNT")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=ETH&price=0", "INVALID_AMOUNT")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=ETH&price=1e9", "INVALID_AMOUNT")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=ETH&price=999999999999999999999999999", "INVALID_AMOUNT")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=ETH&price=1.000000001", "INVALID_AMOUNT")]
    [InlineData("0x328809bc894f92807417d2dad6b7c998c1afdac6/0?asset=ETH", "INVALID_AMOUNT")]
    public async Task Bad_what_if_queries_are_refused_with_400(string query, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        string root = await n.StateRootAsync();
        using HttpResponseMessage r = await n.Http.GetAsync("/v1/whatif/" + query);
        Assert.Equal(400, (int)r.StatusCode);
        Assert.Equal(code, (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());
    }

    [Fact]
    public async Task A_price_that_overflows_the_accounts_values_is_refused_not_a_500()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("alice");
        using HttpResponseMessage r = await n.Http.GetAsync($"/v1/whatif/{alice.Address}/0?asset=ETH&price=92233720368.54775807");
        Assert.NotEqual(500, (int)r.StatusCode);
    }

    [Theory]
    [InlineData("{\"type\":\"Deposit\",\"asset\":\"USDC\",\"amount\":\"-1\"}")]
    [InlineData("{\"type\":\"Deposit\",\"asset\":\"USDC\",\"amount\":\"1.0000001\"}")]
    [InlineData("{\"type\":\"Deposit\",\"asset\":\"DOGE\",\"amount\":\"1\"}")]
    [InlineData("{\"type\":\"Deposit\",\"asset\":\"USDC\",\"amount\":\"0\"}")]
    [InlineData("{\"type\":\"Deposit\",\"asset\":\"USDC\",\"amount\":\"99999999999999999999999\"}")]
    public async Task The_form_check_gives_the_faucets_code_and_message(string body)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        JsonElement form = await Post(n, "/v1/web/check", body, 400);
        string faucetBody = body.Replace("\"type\":\"Deposit\"", "\"owner\":\"0x0000000000000000000000000000000000000001\"", StringComparison.Ordinal);
        JsonElement faucet = await Post(n, "/v1/dev/faucet", faucetBody, 400);
        Assert.Equal(faucet.GetProperty("error").GetProperty("code").GetString(), form.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(faucet.GetProperty("error").GetProperty("message").GetString(), form.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/v1/web/check", "[1,2", "MALFORMED_JSON")]
    [InlineData("/v1/web/check", "null", "MALFORMED_JSON")]
    [InlineData("/v1/web/check", "{\"type\":\"SetOraclePrice\",\"asset\":\"ETH\",\"amount\":\"1\"}", "BAD_REQUEST")]
    [InlineData("/v1/web/check", "{\"type\":\"Deposit\",\"subaccount\":-1,\"asset\":\"ETH\",\"amount\":\"1\"}", "MALFORMED_JSON")]
    [InlineData("/v1/dev/act", "{\"type\":\"Deposit\",\"signer\":\"mallory\",\"asset\":\"ETH\",\"amount\":\"1\"}", "BAD_REQUEST")]
    [InlineData("/v1/dev/act", "{\"type\":\"Deposit\",\"signer\":\"faucet\",\"asset\":\"ETH\",\"amount\":\"1\"}", "BAD_REQUEST")]
    [InlineData("/v1/dev/act", "{\"type\":\"Borrow\",\"signer\":\"alice\",\"asset\":\"ETH\",\"amount\":\"-1\"}", "INVALID_AMOUNT")]
    [InlineData("/v1/dev/act", "\"garbage\"", "MALFORMED_JSON")]
    public async Task Bad_forms_are_refused_and_change_nothing(string path, string body, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        string root = await n.StateRootAsync();
        JsonElement e = await Post(n, path, body, 400);
        Assert.Equal(code, e.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());
    }

    [Fact]
    public async Task A_demo_key_signs_a_withdrawal_from_its_own_account_only()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner bob = n.Signer("bob");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{bob.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"1000\"}}", 200);
        JsonElement ack = await Act(n, "Withdraw", "bob", "USDC", "250");
        Assert.Equal("OK", ack.GetProperty("code").GetString());
        JsonElement acct = (await n.GetJsonAsync($"/v1/accounts/{bob.Address}/0")).GetProperty("account");
        Assert.Equal("750", acct.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("asset").GetString() == "USDC").GetProperty("balance").GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_app_is_served_and_dev_signing_exists_only_on_a_dev_node()
    {
        await using TestNode n = await TestNode.StartAsync();
        using (HttpResponseMessage page = await n.Http.GetAsync("/app/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("/app/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage js = await n.Http.GetAsync("/app/app.js"))
        {
            Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        }

        foreach (string bad in new[] { "/app/..%2Fappsettings.json", "/app/nope.js", "/app/Solvent.Node.dll" })
        {
            using HttpResponseMessage r = await n.Http.GetAsync(bad);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        using HttpResponseMessage act = await n.Http.PostAsync("/v1/dev/act", new StringContent("{\"type\":\"Deposit\",\"signer\":\"alice\",\"asset\":\"USDC\",\"amount\":\"1\"}", Encoding.UTF8, "application/json"));
        Assert.True(act.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, act.StatusCode.ToString());
    }

    private static Task<JsonElement> Act(TestNode n, string type, string signer, string asset, string amount) =>
        Post(n, "/v1/dev/act", $"{{\"type\":\"{type}\",\"signer\":\"{signer}\",\"subaccount\":0,\"asset\":\"{asset}\",\"amount\":\"{amount}\"}}", 200);

    private static async Task<JsonElement> Post(TestNode n, string path, string body, int status)
    {
        using HttpResponseMessage r = await n.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"{path} {body} -> {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
