using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class StreamTests
{
    [Fact]
    public async Task Subscribers_get_blocks_and_the_events_of_their_account_only()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice"), bob = n.Signer("bob");
        using WebSocket ws = await n.WebSockets.ConnectAsync(new Uri(n.Http.BaseAddress!, "/v1/stream"), CancellationToken.None);
        await SendAsync(ws, "{\"subscribe\":\"blocks\"}");
        Assert.Equal("subscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());
        await SendAsync(ws, $"{{\"subscribe\":\"account\",\"owner\":\"{alice.Address}\",\"subaccount\":0}}");
        Assert.Equal("subscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());
        await SendAsync(ws, "{\"subscribe\":\"weather\"}");
        Assert.Equal("BAD_SUBSCRIPTION", (await ReceiveAsync(ws)).GetProperty("error").GetProperty("code").GetString());
        await SendAsync(ws, "not json");
        Assert.Equal("MALFORMED_JSON", (await ReceiveAsync(ws)).GetProperty("error").GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(bob, n.Deposit(bob, "USDC", 5), 0)).StatusCode);
        JsonElement m = await ReceiveAsync(ws);
        Assert.Equal("block", m.GetProperty("type").GetString());
        Assert.Equal(1, m.GetProperty("header").GetProperty("height").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 7), 0)).StatusCode);
        Assert.Equal("block", (await ReceiveAsync(ws)).GetProperty("type").GetString());
        JsonElement events = await ReceiveAsync(ws);
        Assert.Equal("events", events.GetProperty("type").GetString());
        Assert.Equal(2, events.GetProperty("height").GetInt64());
        JsonElement deposited = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event")).Single(e => e.GetProperty("type").GetString() == "Deposited");
        Assert.Equal(alice.Address.ToString(), deposited.GetProperty("account").GetProperty("owner").GetString());
        Assert.Equal("7", deposited.GetProperty("amount").GetString());
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    private static Task SendAsync(WebSocket ws, string text) => StreamMessages.SendAsync(ws, text);

    private static Task<JsonElement> ReceiveAsync(WebSocket ws) => StreamMessages.ReceiveAsync(ws, 64 * 1024);
}
