using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Solvent.Node.Tests;

/// <summary>Sends and reads whole text messages on the node's WebSocket stream, for the stream tests.</summary>
internal static class StreamMessages
{
    /// <summary>Sends one text message.</summary>
    public static Task SendAsync(WebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads one whole message (at most <paramref name="maxBytes"/>) as JSON, or fails after 20 s.</summary>
    public static async Task<JsonElement> ReceiveAsync(WebSocket ws, int maxBytes = 256 * 1024)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[maxBytes];
        int used = 0;
        WebSocketReceiveResult r;
        do
        {
            r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, used, buffer.Length - used), cts.Token);
            used += r.Count;
        }
        while (!r.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, used)).RootElement.Clone();
    }
}
