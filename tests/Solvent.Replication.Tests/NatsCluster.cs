using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Solvent.Replication.Tests;

/// <summary>
/// Three <c>nats-server</c> processes forming one JetStream cluster on 127.0.0.1 in a temporary directory;
/// servers can be killed and restarted (same ports, same storage). Everything is killed and removed on dispose.
/// </summary>
public sealed class NatsCluster : IDisposable
{
    private readonly Process?[] _servers = new Process?[3];
    private readonly int[] _ports = new int[3];
    private readonly int[] _routes = new int[3];

    private NatsCluster(string binary)
    {
        Binary = binary;
        Dir = Path.Combine(Path.GetTempPath(), "solvent-nats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        for (int i = 0; i < 3; i++)
        {
            _ports[i] = FreePort();
            _routes[i] = FreePort();
        }

        string routes = string.Join(", ", _routes.Select(p => $"nats-route://127.0.0.1:{p}"));
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(Dir, $"n{i}.conf"), $$"""
                server_name: n{{i}}
                listen: 127.0.0.1:{{_ports[i]}}
                jetstream { store_dir: "{{Dir}}/n{{i}}" }
                cluster { name: solvent, listen: 127.0.0.1:{{_routes[i]}}, routes: [{{routes}}] }
                """);
        }
    }

    public string Binary { get; }

    public string Dir { get; }

    /// <summary>Comma-separated client URLs of all three servers.</summary>
    public string Urls => string.Join(",", _ports.Select(p => $"nats://127.0.0.1:{p}"));

    /// <summary>The nats-server binary, or null (with the reason the caller prints) when it is not installed.</summary>
    public static string? Find()
    {
        string[] dirs = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'), "/usr/sbin", "/usr/bin", "/usr/local/bin"];
        return dirs.Select(d => Path.Combine(d, "nats-server")).FirstOrDefault(File.Exists);
    }

    /// <summary>Starts a cluster, or returns null when nats-server is not installed.</summary>
    public static NatsCluster? Start()
    {
        if (Find() is not { } bin)
        {
            return null;
        }

        var c = new NatsCluster(bin);
        for (int i = 0; i < 3; i++)
        {
            c.StartServer(i);
        }

        return c;
    }

    public void StartServer(int i)
    {
        Assert.Null(_servers[i]);
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Path.Combine(Dir, $"n{i}.conf"));
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _servers[i] = p;
    }

    public void KillServer(int i)
    {
        Process p = _servers[i]!;
        p.Kill();
        p.WaitForExit(10_000);
        p.Dispose();
        _servers[i] = null;
    }

    public void Dispose()
    {
        for (int i = 0; i < 3; i++)
        {
            if (_servers[i] is { } p)
            {
                try
                {
                    p.Kill();
                    p.WaitForExit(10_000);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                p.Dispose();
            }
        }

        try
        {
            Directory.Delete(Dir, true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
