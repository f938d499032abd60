using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Hosting;

namespace Solvent.Node.Tests;

/// <summary>A node on the in-process test server over a temporary data directory.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestNode(string dir, WebApplication app, NodeRuntime node, bool ownsDir)
    {
        Dir = dir;
        _app = app;
        Node = node;
        OwnsDir = ownsDir;
        Http = app.GetTestClient();
        Domain = Eip712Domain.FromGenesis(node.Genesis);
    }

    public string Dir { get; }

    public bool OwnsDir { get; }

    public NodeRuntime Node { get; }

    public HttpClient Http { get; }

    public WebSocketClient WebSockets => _app.GetTestServer().CreateWebSocketClient();

    public Eip712Domain Domain { get; }

    public Genesis Genesis => Node.Genesis;

    public static async Task<TestNode> StartAsync(string? dir = null, int blockMs = 2, bool dev = false, (int PerSecond, int Burst)? rateLimit = null, string? genesisFile = null, string? validatorKey = null, IDictionary<string, string?>? extra = null)
    {
        bool owns = dir is null;
        dir ??= Path.Combine(Path.GetTempPath(), "solvent-node-test-" + Guid.NewGuid().ToString("N"));
        var overrides = new Dictionary<string, string?>
        {
            ["Solvent:DataDir"] = dir,
            ["Solvent:BlockIntervalMs"] = blockMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Solvent:SnapshotEvery"] = "3",
            ["Solvent:MaxBodyBytes"] = "8192",
            ["Solvent:Dev"] = dev ? "true" : "false",
        };
        if (genesisFile is not null)
        {
            overrides["Solvent:GenesisFile"] = genesisFile;
        }

        if (validatorKey is not null)
        {
            overrides["Solvent:ValidatorKey"] = validatorKey;
        }

        foreach ((string k, string? v) in extra ?? new Dictionary<string, string?>())
        {
            overrides[k] = v;
        }

        if (rateLimit is { } limit)
        {
            overrides["Solvent:SignerRatePerSecond"] = limit.PerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
            overrides["Solvent:SignerBurst"] = limit.Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        (WebApplication app, NodeRuntime node) = NodeHost.Build(overrides, configure: b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
        });
        await app.StartAsync();
        return new TestNode(dir, app, node, owns);
    }

    public ActionSigner Signer(string seed) => ActionSigner.FromSeed(seed, Domain);

    public int Asset(string symbol) => Genesis.FindAsset(symbol);

    public Task<HttpResponseMessage> PostAsync(string body) => PostAsync(Encoding.UTF8.GetBytes(body));

    public async Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await Http.PostAsync("/v1/actions", content);
    }

    public Task<HttpResponseMessage> SubmitAsync(ActionSigner s, EngineAction a, ulong nonce) => PostAsync(s.Sign(a, nonce));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage r = await Http.GetAsync(path);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{path}: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> StateRootAsync() => (await GetJsonAsync("/v1/health")).GetProperty("stateRoot").GetString()!;

    public static async Task<JsonElement> JsonOf(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();

    public Deposit Deposit(ActionSigner s, string asset, long amount, uint sub = 0) => new(s.Address, new AccountKey(s.Address, sub), Asset(asset), amount);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await Node.DisposeAsync();
        await _app.DisposeAsync();
        if (OwnsDir)
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
