using System.Net.WebSockets;
using System.Text.Json;
using Solvent.Node.Sequencing;
using Solvent.Node.Streaming;
using Solvent.Node.Views;

namespace Solvent.Node.Tests;

public class StreamBoundsTests
{
    private static readonly ChainView EmptyView = new(new BlockHeaderView(0, 0, "", "", "", 0, 0), [], [], [], 0, 0);

    private static BlockNotice Notice(long height) => new(new BlockHeaderView(height, height, "", "", "", 0, 0), [], EmptyView);

    private static async Task<StalledSocket> ConnectSubscribedAsync(StreamHub hub, List<Task> served)
    {
        var socket = new StalledSocket();
        served.Add(hub.ServeAsync(socket, _ => null, CancellationToken.None));
        socket.ClientSends("{\"subscribe\":\"blocks\"}");
        Assert.True(await socket.SentSignal.WaitAsync(TimeSpan.FromSeconds(10)), "no reply to subscribe");
        Assert.Contains("subscribed", socket.Sent[0], StringComparison.Ordinal);
        return socket;
    }

    [Fact]
    public async Task A_subscriber_more_than_1024_blocks_behind_is_closed_with_1008_and_a_reason_not_skipped_ahead()
    {
        var hub = new StreamHub();
        var served = new List<Task>();
        StalledSocket slow = await ConnectSubscribedAsync(hub, served);
        slow.Stall();

        // The first block is taken by the send loop (stuck on the stalled socket); 1,024 more fill the
        // queue; the next one is the overflow.
        for (long h = 1; h <= 1024 + 2; h++)
        {
            hub.Publish(Notice(h));
        }

        slow.Resume();
        Task done = Task.WhenAll(served);
        Assert.True(await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(20))) == done, "the lagging connection was never closed");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, slow.CloseStatus);
        Assert.Contains("1024 blocks behind", slow.CloseStatusDescription, StringComparison.Ordinal);
        Assert.False(slow.Aborted);

        // Blocks it did get are consecutive from 1: nothing skipped, then the close.
        long[] heights = [.. slow.Sent.Skip(1).Select(m => JsonDocument.Parse(m).RootElement.GetProperty("header").GetProperty("height").GetInt64())];
        Assert.Equal(Enumerable.Range(1, heights.Length).Select(i => (long)i), heights);
        Assert.True(heights.Length < 1024, $"{heights.Length} queued blocks were sent before the close");
        Assert.Equal(0, hub.Count);
    }

    [Fact]
    public async Task A_subscriber_that_cannot_take_the_close_frame_is_aborted_after_the_grace_period_and_forgotten()
    {
        var hub = new StreamHub(maxLag: 8, closeGrace: TimeSpan.FromMilliseconds(200));
        var served = new List<Task>();
        StalledSocket stuck = await ConnectSubscribedAsync(hub, served);
        StalledSocket healthy = await ConnectSubscribedAsync(hub, served);
        stuck.Stall();
        for (long h = 1; h <= 20; h++)
        {
            // The healthy subscriber keeps up: it takes each block before the next one.
            hub.Publish(Notice(h));
            Assert.True(await healthy.SentSignal.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.True(await Task.WhenAny(served[0], Task.Delay(TimeSpan.FromSeconds(20))) == served[0], "the stuck connection was never released");
        Assert.True(stuck.Aborted);
        Assert.Equal(1, hub.Count);

        Assert.Equal(21, healthy.Sent.Count);
        healthy.ClientSends("not json");
        await healthy.SentSignal.WaitAsync(TimeSpan.FromSeconds(5));
        await healthy.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Task.WhenAll(served).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, hub.Count);
    }

    [Fact]
    public async Task A_connection_holds_at_most_64_subscriptions_and_unsubscribing_frees_a_slot()
    {
        await using TestNode n = await TestNode.StartAsync();
        using WebSocket ws = await n.WebSockets.ConnectAsync(new Uri(n.Http.BaseAddress!, "/v1/stream"), CancellationToken.None);
        string Account(string verb, int i) => $"{{\"{verb}\":\"account\",\"owner\":\"0x{i + 1:x40}\",\"subaccount\":{i}}}";
        for (int i = 0; i < 64; i++)
        {
            await SendAsync(ws, Account("subscribe", i));
            Assert.Equal("subscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());
        }

        // Re-subscribing to a held topic is not a new one.
        await SendAsync(ws, Account("subscribe", 3));
        Assert.Equal("subscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());

        await SendAsync(ws, Account("subscribe", 64));
        Assert.Equal("TOO_MANY_SUBSCRIPTIONS", (await ReceiveAsync(ws)).GetProperty("error").GetProperty("code").GetString());
        await SendAsync(ws, "{\"subscribe\":\"blocks\"}");
        Assert.Equal("TOO_MANY_SUBSCRIPTIONS", (await ReceiveAsync(ws)).GetProperty("error").GetProperty("code").GetString());

        await SendAsync(ws, Account("unsubscribe", 0));
        Assert.Equal("unsubscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());
        await SendAsync(ws, "{\"subscribe\":\"blocks\"}");
        Assert.Equal("subscribed", (await ReceiveAsync(ws)).GetProperty("type").GetString());

        using HttpResponseMessage metrics = await n.Http.GetAsync("/metrics");
        string text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("solvent_stream_subscriptions_refused_total", text, StringComparison.Ordinal);

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        for (int i = 0; i < 100 && n.Node.Hub.Count > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, n.Node.Hub.Count);
    }

    private static Task SendAsync(WebSocket ws, string text) => StreamMessages.SendAsync(ws, text);

    private static Task<JsonElement> ReceiveAsync(WebSocket ws) => StreamMessages.ReceiveAsync(ws, 64 * 1024);
}
