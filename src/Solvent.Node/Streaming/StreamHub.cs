using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Solvent.Core.Events;
using Solvent.Core.State;
using Solvent.Node.Api;
using Solvent.Node.Sequencing;
using Solvent.Node.Views;

namespace Solvent.Node.Streaming;

/// <summary>
/// WebSocket fan-out of committed blocks. The sequencer only drops each notice into every client's
/// bounded queue; each client's own loop filters by its subscription and serializes, so a slow client
/// never slows sequencing (it is disconnected when its queue overflows).
/// </summary>
public sealed class StreamHub
{
    private const int ClientQueue = 1024;
    private const int MaxMessage = 4096;
    private readonly Lock _gate = new();
    private readonly List<Channel<BlockNotice>> _clients = [];

    /// <summary>Connected clients.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Hands a committed block to every client (called on the sequencer loop; never blocks).</summary>
    public void Publish(BlockNotice notice)
    {
        lock (_gate)
        {
            foreach (Channel<BlockNotice> c in _clients)
            {
                if (!c.Writer.TryWrite(notice))
                {
                    c.Writer.TryComplete(new InvalidOperationException("slow consumer"));
                }
            }
        }
    }

    /// <summary>Serves one WebSocket until it closes.</summary>
    public async Task ServeAsync(WebSocket socket, Func<string, int?> findMarket, CancellationToken ct)
    {
        var queue = Channel.CreateBounded<BlockNotice>(new BoundedChannelOptions(ClientQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        lock (_gate)
        {
            _clients.Add(queue);
        }

        var sub = new Subscription();
        var sendLock = new SemaphoreSlim(1, 1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task sender = SendLoopAsync(socket, queue.Reader, sub, sendLock, cts.Token);
        try
        {
            byte[] buffer = new byte[MaxMessage];
            while (socket.State == WebSocketState.Open)
            {
                int used = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await socket.ReceiveAsync(buffer.AsMemory(used), cts.Token).ConfigureAwait(false);
                    used += r.Count;
                    if (!r.EndOfMessage && used == buffer.Length)
                    {
                        await SendAsync(socket, sendLock, Error("MESSAGE_TOO_LARGE", $"messages are limited to {MaxMessage} bytes"), cts.Token).ConfigureAwait(false);
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "too big", cts.Token).ConfigureAwait(false);
                        return;
                    }
                }
                while (!r.EndOfMessage);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
                    break;
                }

                byte[] reply = Handle(buffer.AsSpan(0, used), sub, findMarket);
                await SendAsync(socket, sendLock, reply, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            lock (_gate)
            {
                _clients.Remove(queue);
            }

            queue.Writer.TryComplete();
            await cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                // Sending stopped with the connection.
            }
        }
    }

    private static byte[] Handle(ReadOnlySpan<byte> message, Subscription sub, Func<string, int?> findMarket)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(message.ToArray());
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(NodeErrors.MalformedJson, "send an object such as {\"subscribe\":\"blocks\"}");
            }

            bool add = root.TryGetProperty("subscribe", out JsonElement topicEl);
            if (!add && !root.TryGetProperty("unsubscribe", out topicEl))
            {
                return Error(NodeErrors.MalformedJson, "expected \"subscribe\" or \"unsubscribe\"");
            }

            if (topicEl.ValueKind != JsonValueKind.String)
            {
                return Error(NodeErrors.MalformedJson, "the topic must be a string");
            }

            string topic = topicEl.GetString()!;
            AccountKey? account = null;
            if (root.TryGetProperty("owner", out JsonElement o) && o.ValueKind == JsonValueKind.String && Address.TryParse(o.GetString(), out Address owner))
            {
                uint n = root.TryGetProperty("subaccount", out JsonElement s) && s.ValueKind == JsonValueKind.Number && s.TryGetUInt32(out uint sn) ? sn : 0;
                account = new AccountKey(owner, n);
            }

            int? market = root.TryGetProperty("market", out JsonElement m) && m.ValueKind == JsonValueKind.String ? findMarket(m.GetString()!) : null;
            if (sub.Apply(add, topic, account, market) is { } err)
            {
                return Error("BAD_SUBSCRIPTION", err);
            }

            return JsonSerializer.SerializeToUtf8Bytes(new { type = add ? "subscribed" : "unsubscribed", topic }, NodeJson.Options);
        }
        catch (JsonException e)
        {
            return Error(NodeErrors.MalformedJson, "not valid JSON: " + e.Message);
        }
    }

    private static async Task SendLoopAsync(WebSocket socket, ChannelReader<BlockNotice> reader, Subscription sub, SemaphoreSlim sendLock, CancellationToken ct)
    {
        await foreach (BlockNotice n in reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (sub.WantsBlocks)
            {
                await SendAsync(socket, sendLock, JsonSerializer.SerializeToUtf8Bytes(new { type = "block", header = n.Header }, NodeJson.Options), ct).ConfigureAwait(false);
            }

            var events = new List<object>();
            foreach (ActionOutcome o in n.Outcomes)
            {
                foreach (EngineEvent e in o.Events)
                {
                    if (sub.Wants(e))
                    {
                        events.Add(new { sequence = o.Sequence, @event = e });
                    }
                }
            }

            if (events.Count > 0)
            {
                await SendAsync(socket, sendLock, JsonSerializer.SerializeToUtf8Bytes(new { type = "events", height = n.Header.Height, events }, NodeJson.Options), ct).ConfigureAwait(false);
            }

            if (sub.WantsLiquidations)
            {
                IReadOnlyList<AccountRef> liq = n.View.Liquidatable;
                await SendAsync(socket, sendLock, JsonSerializer.SerializeToUtf8Bytes(new { type = "liquidatable", height = n.Header.Height, accounts = liq }, NodeJson.Options), ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, byte[] message, CancellationToken ct)
    {
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static byte[] Error(string code, string message) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ApiError(new ApiErrorBody(code, message)), NodeJson.Options));
}
