using System.Net;
using System.Net.Sockets;

namespace Solvent.Node.Tests.Settlement;

/// <summary>
/// A TCP forwarder in front of a chain's RPC that the test can take down: while down, open connections are cut
/// and new ones refused (what a client sees of a dead or unreachable RPC); up again on the same port.
/// </summary>
public sealed class RpcGate : IDisposable
{
    private readonly int _target;
    private readonly object _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;

    public RpcGate(string targetUrl)
    {
        _target = new Uri(targetUrl).Port;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Up();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Listens again and forwards every new connection.</summary>
    public void Up()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var l = new TcpListener(IPAddress.Loopback, Port);
            l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            l.Start();
            _listener = l;
            _ = Task.Run(() => AcceptAsync(l));
        }
    }

    /// <summary>Stops listening and cuts every forwarded connection.</summary>
    public void Down()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            foreach (TcpClient c in _open)
            {
                c.Dispose();
            }

            _open.Clear();
        }
    }

    public void Dispose() => Down();

    private async Task AcceptAsync(TcpListener l)
    {
        while (true)
        {
            TcpClient inbound;
            try
            {
                inbound = await l.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // taken down
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _target);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_gate)
            {
                if (_listener != l)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    return;
                }

                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Cut by Down(), or the other side closed.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
