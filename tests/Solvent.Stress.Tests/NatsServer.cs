using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Solvent.Stress.Tests;

/// <summary>
/// One throwaway <c>nats-server</c> with JetStream on 127.0.0.1, its largest message cut (32 KB by default, so
/// that a recorded time series travels through the object store as it would for a long scenario). Killed and
/// removed on dispose. Null when nats-server is not installed (the tests then print why they skip).
/// </summary>
public sealed class NatsServer : IDisposable
{
    private readonly Process _p;

    private NatsServer(string binary, int maxPayload)
    {
        Dir = Path.Combine(Path.GetTempPath(), "solvent-stress-nats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        int port = FreePort();
        Url = $"nats://127.0.0.1:{port}";
        File.WriteAllText(Path.Combine(Dir, "n.conf"), $$"""
            listen: 127.0.0.1:{{port}}
            max_payload: {{maxPayload}}
            jetstream { store_dir: "{{Dir}}/js" }
            """);
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Path.Combine(Dir, "n.conf"));
        _p = Process.Start(psi)!;
        _p.OutputDataReceived += (_, _) => { };
        _p.ErrorDataReceived += (_, _) => { };
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();

        // Ready once it accepts connections (JetStream is up by then on a single server).
        DateTime until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !_p.HasExited)
            {
                Thread.Sleep(20);
            }
        }
    }

    public string Dir { get; }

    public string Url { get; }

    public const string SkipReason = "skipped: nats-server is not installed (tests/nats.sh installs it with apt as root)";

    public static NatsServer? Start(int maxPayload = 32768)
    {
        string[] dirs = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'), "/usr/sbin", "/usr/bin", "/usr/local/bin"];
        string? bin = dirs.Select(d => Path.Combine(d, "nats-server")).FirstOrDefault(File.Exists);
        return bin is null ? null : new NatsServer(bin, maxPayload);
    }

    public void Dispose()
    {
        try
        {
            _p.Kill();
            _p.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        _p.Dispose();
        try
        {
            Directory.Delete(Dir, true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
