using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Solvent.Core.Events;
using Solvent.Core.State;
using Solvent.Node.Api;
using Solvent.Node.Metrics;
using Solvent.Node.Sequencing;
using Solvent.Node.Views;

namespace Solvent.Node.Streaming;

/// <summary>
/// WebSocket fan-out of committed blocks. The sequencer only drops each notice into every client's
/// bounded queue; each client's own loop filters by its subscription and serializes, so a slow client
/// never slows sequencing. A client more than <see cref="MaxLag"/> blocks behind is closed with 1008
/// (policy violation) and a reason, never silently skipped ahead; a client that cannot even take the
/// close frame is aborted after a grace period.
/// </summary>
public sealed class StreamHub
{
    /// <summary>Blocks a client may fall behind before it is disconnected.</summary>
    public const int MaxLag = 1024;

    /// <summary>Topics one connection may hold at once.</summary>
    public const int MaxSubscriptions = 64;

    /// <summary>Close reason sent to a client that fell too far behind (at most 123 bytes, the WebSocket limit).</summary>
    public const string LaggedReason = "more than 1024 blocks behind; reconnect and read missed blocks from /v1/blocks/{height}";

    private const int MaxMessage = 4096;
    private readonly Lock _gate = new();
    private readonly List<Client> _clients = [];
    private readonly int _maxLag;
    private readonly TimeSpan _closeGrace;

    /// <summary>A hub with the documented bounds.</summary>
    public StreamHub()
        : this(MaxLag, TimeSpan.FromSeconds(10))
    {
    }

    /// <summary>A hub with explicit bounds (tests shorten the grace period).</summary>
    /// <param name="maxLag">Queued blocks per client before it is disconnected.</param>
    /// <param name="closeGrace">How long a disconnected client gets to take the close frame before the socket is aborted.</param>
    public StreamHub(int maxLag, TimeSpan closeGrace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLag, 1);
        _maxLag = maxLag;
        _closeGrace = closeGrace;
    }

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
            foreach (Client c in _clients)
            {
                if (!c.Queue.Writer.TryWrite(notice))
                {
                    c.Lag();
                }
            }
        }
    }

    /// <summary>Serves one WebSocket until it closes.</summary>
    public async Task ServeAsync(WebSocket socket, Func<string, int?> findMarket, CancellationToken ct)
    {
        using var client = new Client(socket, _maxLag, _closeGrace);
        lock (_gate)
        {
            _clients.Add(client);
        }

        NodeMetrics.StreamClients.Inc();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task sender = SendLoopAsync(client, cts.Token);
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
                        await client.SendAsync(Error("MESSAGE_TOO_LARGE", $"messages are limited to {MaxMessage} bytes"), cts.Token).ConfigureAwait(false);
                        await client.CloseAsync(WebSocketCloseStatus.MessageTooBig, "too big", cts.Token).ConfigureAwait(false);
                        return;
                    }
                }
                while (!r.EndOfMessage);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
                    break;
                }

                byte[] reply = Handle(buffer.AsSpan(0, used), client.Subscription, findMarket);
                await client.SendAsync(reply, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or was aborted after falling behind.
        }
        finally
        {
            lock (_gate)
            {
                _clients.Remove(client);
            }

            client.Queue.Writer.TryComplete();
            await cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
                // Sending stopped with the connection.
            }

            // Drop whatever is still queued and the topics, so a closed connection holds no memory.
            while (client.Queue.Reader.TryRead(out _))
            {
            }

            NodeMetrics.StreamSubscriptions.Dec(client.Subscription.Clear());
            NodeMetrics.StreamClients.Dec();
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
            int before = sub.Count;
            SubscriptionResult result = sub.Apply(add, topic, account, market, MaxSubscriptions, out string? err);
            NodeMetrics.StreamSubscriptions.Inc(sub.Count - before);
            switch (result)
            {
                case SubscriptionResult.TooMany:
                    NodeMetrics.StreamSubscriptionsRefused.Inc();
                    return Error(NodeErrors.TooManySubscriptions, $"a connection holds at most {MaxSubscriptions} subscriptions; unsubscribe first or open another connection");
                case SubscriptionResult.Invalid:
                    return Error("BAD_SUBSCRIPTION", err!);
                default:
                    return JsonSerializer.SerializeToUtf8Bytes(new { type = add ? "subscribed" : "unsubscribed", topic }, NodeJson.Options);
            }
        }
        catch (JsonException e)
        {
            return Error(NodeErrors.MalformedJson, "not valid JSON: " + e.Message);
        }
    }

    private static async Task SendLoopAsync(Client client, CancellationToken ct)
    {
        Subscription sub = client.Subscription;
        ChannelReader<BlockNotice> reader = client.Queue.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (client.Lagged)
            {
                break;
            }

            if (!reader.TryRead(out BlockNotice? n))
            {
                continue;
            }

            if (sub.WantsBlocks)
            {
                await client.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "block", header = n.Header }, NodeJson.Options), ct).ConfigureAwait(false);
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
                await client.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "events", height = n.Header.Height, events }, NodeJson.Options), ct).ConfigureAwait(false);
            }

            if (sub.WantsLiquidations)
            {
                IReadOnlyList<AccountRef> liq = n.View.Liquidatable;
                await client.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "liquidatable", height = n.Header.Height, accounts = liq }, NodeJson.Options), ct).ConfigureAwait(false);
            }
        }

        if (client.Lagged)
        {
            while (reader.TryRead(out _))
            {
            }

            NodeMetrics.StreamDisconnects.WithLabels("lagged").Inc();
            await client.CloseAsync(WebSocketCloseStatus.PolicyViolation, LaggedReason, ct).ConfigureAwait(false);
        }
    }

    private static byte[] Error(string code, string message) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ApiError(new ApiErrorBody(code, message)), NodeJson.Options));

    /// <summary>One connection: its socket, queue of blocks not yet sent, topics and the close deadline once it lags.</summary>
    private sealed class Client : IDisposable
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly CancellationTokenSource _abort = new();
        private readonly TimeSpan _closeGrace;
        private readonly WebSocket _socket;
        private readonly CancellationTokenRegistration _abortRegistration;
        private int _lagged;

        public Client(WebSocket socket, int maxLag, TimeSpan closeGrace)
        {
            _socket = socket;
            _closeGrace = closeGrace;
            Queue = Channel.CreateBounded<BlockNotice>(new BoundedChannelOptions(maxLag) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
            _abortRegistration = _abort.Token.Register(static s => ((WebSocket)s!).Abort(), socket);
        }

        public Channel<BlockNotice> Queue { get; }

        public Subscription Subscription { get; } = new();

        public bool Lagged => Volatile.Read(ref _lagged) != 0;

        // On the sequencer thread: mark, stop queueing, and give the client a grace period to take the close frame.
        public void Lag()
        {
            if (Interlocked.Exchange(ref _lagged, 1) == 0)
            {
                Queue.Writer.TryComplete();
                _abort.CancelAfter(_closeGrace);
            }
        }

        public async Task SendAsync(byte[] message, CancellationToken ct)
        {
            await _sendLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
        {
            await _sendLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(status, reason, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public void Dispose()
        {
            _abortRegistration.Dispose();
            _abort.Dispose();
            _sendLock.Dispose();
        }
    }
}
