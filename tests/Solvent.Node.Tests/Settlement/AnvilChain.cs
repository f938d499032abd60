using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Nethereum.Web3;

namespace Solvent.Node.Tests.Settlement;

/// <summary>An Anvil dev chain on 127.0.0.1 (1 s blocks, or mined on demand), from tests/conformance's npm install; killed on dispose.</summary>
public sealed class AnvilChain : IDisposable
{
    /// <summary>Anvil's well-known funded dev keys (mnemonic "test test … junk"): never for real funds.</summary>
    public static readonly string[] Keys =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    ];

    private readonly Process _p;

    private AnvilChain(Process p, long chainId, string url)
    {
        _p = p;
        ChainId = chainId;
        Url = url;
        Web3 = new Web3(url);
    }

    public long ChainId { get; }

    public string Url { get; }

    /// <summary>A keyless client of this chain (reads, Anvil's own methods).</summary>
    public Web3 Web3 { get; }

    /// <summary>The repository root (holds Solvent.sln).</summary>
    public static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Solvent.sln")))
        {
            dir = Path.GetDirectoryName(dir.TrimEnd('/'))!;
        }

        return dir;
    }

    /// <summary>The anvil binary, or null when tests/conformance has not been installed (npm ci).</summary>
    public static string? Binary()
    {
        string path = Path.Combine(RepoRoot(), "tests", "conformance", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Starts a chain that mines a block every <paramref name="blockSeconds"/> seconds, or, when null, one block per
    /// transaction (automine) until <see cref="SetAutomineAsync"/> turns it off and blocks come only from <see cref="MineAsync"/>.
    /// </summary>
    public static async Task<AnvilChain> StartAsync(long chainId, int? blockSeconds = 1)
    {
        int port = FreePort();
        var psi = new ProcessStartInfo(Binary() ?? throw new InvalidOperationException("anvil is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chain-id", chainId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            psi.ArgumentList.Add(a);
        }

        if (blockSeconds is { } seconds)
        {
            psi.ArgumentList.Add("--block-time");
            psi.ArgumentList.Add(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var chain = new AnvilChain(p, chainId, $"http://127.0.0.1:{port}");
        Web3 web3 = chain.Web3;
        for (int i = 0; ; i++)
        {
            try
            {
                await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync();
                return chain;
            }
            catch (Exception) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>An Anvil or standard RPC call through Nethereum's generic request (reorgs, snapshots, mining).</summary>
    public Task<T> RpcAsync<T>(string method, params object[] args) => Web3.Client.SendRequestAsync<T>(method, null, args);

    /// <summary>Switches automine on or off (off: blocks come only from <see cref="MineAsync"/>).</summary>
    public Task SetAutomineAsync(bool on) => RpcAsync<object>("evm_setAutomine", on);

    /// <summary>Mines <paramref name="blocks"/> blocks now, each with whatever the pool holds.</summary>
    public async Task MineAsync(int blocks = 1)
    {
        for (int i = 0; i < blocks; i++)
        {
            await RpcAsync<string>("evm_mine");
        }
    }

    /// <summary>The head block number.</summary>
    public async Task<long> HeadAsync() => (long)(await Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            _p.Kill(entireProcessTree: true);
            _p.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _p.Dispose();
    }
}

/// <summary>A fact that runs only when anvil is installed (tests/conformance npm ci), else is skipped saying so.</summary>
public sealed class AnvilFactAttribute : FactAttribute
{
    public AnvilFactAttribute()
    {
        if (AnvilChain.Binary() is null)
        {
            Skip = "anvil is not installed: run `npm ci` in tests/conformance (test.sh does) to run the vault end-to-end tests";
        }
    }
}
