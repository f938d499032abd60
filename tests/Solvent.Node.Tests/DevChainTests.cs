using System.Net;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class DevChainTests
{
    [Fact]
    public async Task Faucet_borrow_and_a_governance_price_drop_make_the_account_liquidatable()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("alice");
        ActionSigner gov = n.Node.Dev!.Governance;
        Assert.Equal(gov.Address, n.Genesis.Governance);

        await Faucet(n, n.Signer("bob").Address, "USDC", "100000");
        await Faucet(n, alice.Address, "ETH", "10");
        var borrow = new Borrow(alice.Address, new AccountKey(alice.Address, 0), n.Asset("USDC"), 15_000_000_000);
        using (HttpResponseMessage r = await n.SubmitAsync(alice, borrow, 0))
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, (await n.GetJsonAsync("/v1/liquidatable")).GetProperty("accounts").GetArrayLength());
        JsonElement before = (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0")).GetProperty("account");
        Assert.False(before.GetProperty("liquidatable").GetBoolean());
        long liqPrice = long.Parse(before.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("asset").GetString() == "ETH").GetProperty("liquidationPrice").GetProperty("raw").GetString()!);
        Assert.InRange(liqPrice, 1L, 3000_00000000L);

        // A user cannot move prices; governance can.
        using (HttpResponseMessage r = await n.SubmitAsync(alice, new SetOraclePrice(alice.Address, n.Asset("ETH"), liqPrice / 2), 1))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.Equal("UNAUTHORIZED", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        }

        using (HttpResponseMessage r = await n.SubmitAsync(gov, new SetOraclePrice(gov.Address, n.Asset("ETH"), liqPrice - 1_00000000), 0))
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }

        JsonElement liq = await n.GetJsonAsync("/v1/liquidatable");
        Assert.Equal(alice.Address.ToString(), liq.GetProperty("accounts").EnumerateArray().Single().GetProperty("owner").GetString());
        Assert.True((await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0")).GetProperty("account").GetProperty("liquidatable").GetBoolean());
        JsonElement eth = (await n.GetJsonAsync("/v1/assets")).EnumerateArray().Single(a => a.GetProperty("symbol").GetString() == "ETH");
        Assert.Equal((liqPrice - 1_00000000).ToString(System.Globalization.CultureInfo.InvariantCulture), eth.GetProperty("price").GetProperty("raw").GetString());
    }

    [Theory]
    [InlineData("{\"owner\":\"0x12\",\"asset\":\"USDC\",\"amount\":\"1\"}", "BAD_REQUEST")]
    [InlineData("{\"owner\":\"0x0000000000000000000000000000000000000001\",\"asset\":\"DOGE\",\"amount\":\"1\"}", "UNKNOWN_ASSET")]
    [InlineData("{\"owner\":\"0x0000000000000000000000000000000000000001\",\"asset\":\"USDC\",\"amount\":\"-1\"}", "INVALID_AMOUNT")]
    [InlineData("{\"owner\":\"0x0000000000000000000000000000000000000001\",\"asset\":\"USDC\",\"amount\":\"1.0000001\"}", "INVALID_AMOUNT")]
    [InlineData("[1,2", "MALFORMED_JSON")]
    public async Task Bad_faucet_requests_are_refused(string body, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        using HttpResponseMessage r = await n.Http.PostAsync("/v1/dev/faucet", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)r.StatusCode);
        Assert.Equal(code, (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
    }

    private static async Task Faucet(TestNode n, Address owner, string asset, string amount)
    {
        string body = $"{{\"owner\":\"{owner}\",\"subaccount\":0,\"asset\":\"{asset}\",\"amount\":\"{amount}\"}}";
        using HttpResponseMessage r = await n.Http.PostAsync("/v1/dev/faucet", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
    }
}
