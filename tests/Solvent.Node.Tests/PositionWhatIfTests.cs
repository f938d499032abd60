using System.Text;
using System.Text.Json;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class PositionWhatIfTests
{
    [Fact]
    public async Task The_position_what_if_equals_placing_the_order_and_leaves_the_live_state()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner bob = n.Signer("bob");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{bob.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"10000\"}}", 200);
        string root = await n.StateRootAsync();
        JsonElement w = await Get(n, $"/v1/whatif/{bob.Address}/0/position?market=ETH-PERP&size=-1.5", 200);
        Assert.Equal(JsonValueKind.Null, w.GetProperty("refused").ValueKind);
        JsonElement what = w.GetProperty("account");
        JsonElement pos = what.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("market").GetString() == "ETH-PERP");
        Assert.Equal("-1.5", pos.GetProperty("size").GetProperty("value").GetString());
        Assert.Equal(root, await n.StateRootAsync());
        Assert.Empty((await n.GetJsonAsync($"/v1/accounts/{bob.Address}/0")).GetProperty("account").GetProperty("positions").EnumerateArray());

        // The same order placed for real gives the same position and health.
        await Post(n, "/v1/dev/act", "{\"type\":\"PlaceOrder\",\"signer\":\"bob\",\"subaccount\":0,\"market\":\"ETH-PERP\",\"side\":\"sell\",\"size\":\"1.5\"}", 200);
        JsonElement live = (await n.GetJsonAsync($"/v1/accounts/{bob.Address}/0")).GetProperty("account");
        JsonElement livePos = live.GetProperty("positions").EnumerateArray().Single();
        Assert.Equal(pos.GetProperty("entryPrice").GetProperty("raw").GetString(), livePos.GetProperty("entryPrice").GetProperty("raw").GetString());
        Assert.Equal(what.GetProperty("maintenanceHealth").GetProperty("raw").GetString(), live.GetProperty("maintenanceHealth").GetProperty("raw").GetString());

        // Back to zero from there: the what-if closes it.
        JsonElement flat = (await Get(n, $"/v1/whatif/{bob.Address}/0/position?market=eth-perp&size=0", 200)).GetProperty("account");
        Assert.DoesNotContain(flat.GetProperty("positions").EnumerateArray(), p => p.GetProperty("size").GetProperty("value").GetString() != "0");
    }

    [Fact]
    public async Task A_position_the_engine_would_refuse_is_shown_as_refused()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner bob = n.Signer("bob");
        await Post(n, "/v1/dev/faucet", $"{{\"owner\":\"{bob.Address}\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"100\"}}", 200);
        string root = await n.StateRootAsync();
        foreach (string size in new[] { "1000", "9223372036.854775807", "-9223372036.854775807" })
        {
            JsonElement w = await Get(n, $"/v1/whatif/{bob.Address}/0/position?market=ETH-PERP&size={size}", 200);
            Assert.Equal(JsonValueKind.Null, w.GetProperty("account").ValueKind);
            Assert.False(string.IsNullOrEmpty(w.GetProperty("refused").GetProperty("code").GetString()));
        }

        Assert.Equal(root, await n.StateRootAsync());
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH-PERP&size=1", 404, "NOT_FOUND")]
    [InlineData("0x12/0/position?market=ETH-PERP&size=1", 400, "BAD_REQUEST")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH&size=1", 400, "UNKNOWN_MARKET")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?size=1", 400, "UNKNOWN_MARKET")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH-PERP", 400, "INVALID_AMOUNT")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH-PERP&size=abc", 400, "INVALID_AMOUNT")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH-PERP&size=0.0000000001", 400, "INVALID_AMOUNT")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH-PERP&size=99999999999999999999", 400, "INVALID_AMOUNT")]
    [InlineData("0x0000000000000000000000000000000000000001/0/position?market=ETH-PERP&size=-9223372036.854775808", 400, "INVALID_AMOUNT")]
    public async Task Bad_position_what_ifs_are_refused(string query, int status, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        string root = await n.StateRootAsync();
        JsonElement e = await Get(n, "/v1/whatif/" + query, status);
        Assert.Equal(code, e.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());
    }

    private static async Task<JsonElement> Get(TestNode n, string path, int status)
    {
        using HttpResponseMessage r = await n.Http.GetAsync(path);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"{path} -> {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task Post(TestNode n, string path, string body, int status)
    {
        using HttpResponseMessage r = await n.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True((int)r.StatusCode == status, $"{path} {body} -> {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }
}
