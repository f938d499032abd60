using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Solvent.Node.Tests;

/// <summary>
/// A server-side WebSocket whose peer can stop reading: while <see cref="Stall"/> is set every send
/// waits, as a real socket does once the client's TCP window is full. Records what was sent and the close.
/// </summary>
public sealed class StalledSocket : WebSocket
{
    private readonly Channel<byte[]?> _incoming = Channel.CreateUnbounded<byte[]?>();
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketState _state = WebSocketState.Open;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;

    public StalledSocket() => _resume.SetResult();

    public List<string> Sent { get; } = [];

    public SemaphoreSlim SentSignal { get; } = new(0);

    public bool Aborted => _aborted.Task.IsCompleted;

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _closeDescription;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public void Stall() => _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => _resume.TrySetResult();

    public void ClientSends(string text) => _incoming.Writer.TryWrite(Encoding.UTF8.GetBytes(text));

    public override void Abort()
    {
        _state = WebSocketState.Aborted;
        _aborted.TrySetResult();
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await WaitResumedAsync(cancellationToken);
        _closeStatus = closeStatus;
        _closeDescription = statusDescription;
        _state = WebSocketState.CloseSent;

        // The client answers the close handshake.
        _incoming.Writer.TryWrite(null);
    }

    public override void Dispose()
    {
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        Task<byte[]?> next = _incoming.Reader.ReadAsync(cancellationToken).AsTask();
        if (await Task.WhenAny(next, _aborted.Task) != next)
        {
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }

        byte[]? m = await next;
        if (m is null)
        {
            _state = WebSocketState.Closed;
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, WebSocketCloseStatus.NormalClosure, "");
        }

        m.CopyTo(buffer.AsSpan());
        return new WebSocketReceiveResult(m.Length, WebSocketMessageType.Text, true);
    }

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        await WaitResumedAsync(cancellationToken);
        lock (Sent)
        {
            Sent.Add(Encoding.UTF8.GetString(buffer));
        }

        SentSignal.Release();
    }

    private async Task WaitResumedAsync(CancellationToken ct)
    {
        Task resumed = _resume.Task;
        if (await Task.WhenAny(resumed, _aborted.Task, Task.Delay(Timeout.Infinite, ct)) != resumed)
        {
            ct.ThrowIfCancellationRequested();
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }
    }
}
