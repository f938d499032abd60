using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Prometheus;
using Scalar.AspNetCore;
using Solvent.Node.Api;
using Solvent.Node.Ingress;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Hosting;

/// <summary>
/// Builds the node's web application: configuration (appsettings.json, <c>Solvent__*</c> environment
/// variables, then explicit overrides such as command-line flags), recovery, the sequencer and every
/// endpoint. The caller runs the app and then disposes the returned <see cref="NodeRuntime"/>.
/// </summary>
public static class NodeHost
{
    /// <summary>Configuration section holding <see cref="NodeOptions"/> keys.</summary>
    public const string Section = "Solvent";

    /// <summary>Creates the app and recovers the chain (throws <see cref="Recovery.RecoveryException"/> when the data directory disagrees with its log).</summary>
    public static (WebApplication App, NodeRuntime Node) Build(
        IDictionary<string, string?> overrides,
        Func<Core.Config.Genesis, IActionDecoder>? decoder = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication, NodeRuntime>? mapExtra = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(overrides);

        // A request log line per call drowns the node's own messages; `Logging__LogLevel__Microsoft.AspNetCore=Information` brings it back.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        NodeOptions options = ReadOptions(builder.Configuration);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes + 1);
        builder.Services.ConfigureHttpJsonOptions(j => NodeJson.Configure(j.SerializerOptions));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Solvent node API";
            doc.Info.Description = "Signed actions in, blocks, accounts, markets and proofs out. Every amount is a decimal string and a raw integer.";
            return Task.CompletedTask;
        }));
        configure?.Invoke(builder);
        WebApplication app = builder.Build();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Solvent.Node");
        var node = new NodeRuntime(options, decoder ?? CryptoActionDecoder.For, m => logger.LogWarning("{Message}", m));
        Metrics.NodeMetrics.SignatureBackend.WithLabels(Crypto.NativeSecp256k1.Instance is null ? "bouncycastle" : "libsecp256k1").Set(1);
        logger.LogInformation(
            "recovered height {Blocks} from {Dir} (snapshot {Snapshot} + {Actions} replayed actions) in {Ms} ms; state root {Root}",
            node.Summary.Blocks, Path.GetFullPath(options.DataDir), node.Summary.RestoredFrom, node.Summary.Actions, (long)node.Summary.Elapsed.TotalMilliseconds, Api.Hex.Of(node.Summary.Root));

        app.UseExceptionHandler(e => e.Run(async ctx =>
        {
            Exception? ex = ctx.Features.Get<IExceptionHandlerFeature>()?.Error;
            (int status, string code, string message) = ex switch
            {
                BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413 ? NodeErrors.BodyTooLarge : NodeErrors.BadRequest, b.Message),
                SequencerUnavailableException u => (503, u.Code, u.Message),
                _ => (500, "INTERNAL", "internal error; see the node log"),
            };
            await ApiError.Result(status, code, message).ExecuteAsync(ctx).ConfigureAwait(false);
        }));
        app.UseStatusCodePages(async ctx =>
        {
            HttpResponse r = ctx.HttpContext.Response;
            string code = r.StatusCode switch { 404 => NodeErrors.NotFound, 405 => "METHOD_NOT_ALLOWED", 415 => "UNSUPPORTED_MEDIA_TYPE", _ => NodeErrors.BadRequest };
            await ApiError.Result(r.StatusCode, code, $"{ctx.HttpContext.Request.Method} {ctx.HttpContext.Request.Path} -> {r.StatusCode}").ExecuteAsync(ctx.HttpContext).ConfigureAwait(false);
        });
        app.UseWebSockets();

        // Every answer names the height it was served at, so a client reading replicas sees how current each is.
        app.Use((ctx, next) =>
        {
            ctx.Response.Headers["X-Solvent-Height"] = node.Sequencer.View.Head.Height.ToString(CultureInfo.InvariantCulture);
            return next(ctx);
        });

        ActionEndpoints.Map(app, node);
        ReadEndpoints.Map(app, node);
        BookEndpoints.Map(app, node);
        SettlementEndpoints.Map(app, node);
        Web.WebEndpoints.Map(app, node);
        app.Map("/v1/stream", async ctx =>
        {
            if (!ctx.WebSockets.IsWebSocketRequest)
            {
                await ApiError.Result(400, NodeErrors.BadRequest, "connect with a WebSocket client").ExecuteAsync(ctx).ConfigureAwait(false);
                return;
            }

            using System.Net.WebSockets.WebSocket ws = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await node.Hub.ServeAsync(ws, FindMarket(node), ctx.RequestAborted).ConfigureAwait(false);
        }).ExcludeFromDescription();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapMetrics();
        if (node.Dev is { } keys)
        {
            Dev.DevEndpoints.Map(app, node, keys);
        }

        mapExtra?.Invoke(app, node);
        return (app, node);
    }

    /// <summary>Reads <see cref="NodeOptions"/> from the <c>Solvent</c> section.</summary>
    public static NodeOptions ReadOptions(IConfiguration config)
    {
        IConfigurationSection s = config.GetSection(Section);
        var d = new NodeOptions();
        var seq = new SequencerOptions();
        string? genesisFile = s["GenesisFile"];
        return new NodeOptions
        {
            DataDir = s["DataDir"] ?? d.DataDir,
            GenesisJson = genesisFile is null ? null : File.ReadAllText(genesisFile),
            MaxBodyBytes = Int(s, "MaxBodyBytes", d.MaxBodyBytes),
            MaxBatchActions = Int(s, "MaxBatchActions", d.MaxBatchActions),
            MaxBatchBytes = Int(s, "MaxBatchBytes", d.MaxBatchBytes),
            Dev = bool.TryParse(s["Dev"], out bool dev) && dev,
            ValidatorKey = s["ValidatorKey"],
            PosterKey = s["PosterKey"],
            Rpc = ReadRpc(s.GetSection("Rpc")),
            SignerRatePerSecond = Int(s, "SignerRatePerSecond", d.SignerRatePerSecond),
            SignerBurst = Int(s, "SignerBurst", d.SignerBurst),
            SignerRateMaxTracked = Int(s, "SignerRateMaxTracked", d.SignerRateMaxTracked),
            Sequencer = new SequencerOptions
            {
                BlockIntervalMs = Int(s, "BlockIntervalMs", seq.BlockIntervalMs),
                MaxBlockActions = Int(s, "MaxBlockActions", seq.MaxBlockActions),
                SnapshotEvery = Int(s, "SnapshotEvery", seq.SnapshotEvery),
                QueueCapacity = Int(s, "QueueCapacity", seq.QueueCapacity),
            },
        };
    }

    private static Dictionary<long, string> ReadRpc(IConfigurationSection rpc)
    {
        var map = new Dictionary<long, string>();
        foreach (IConfigurationSection c in rpc.GetChildren())
        {
            if (!long.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out long chainId) || c.Value is not { Length: > 0 } url)
            {
                throw new InvalidOperationException($"{Section}:Rpc:{c.Key} must map a vault chain id to a JSON-RPC URL");
            }

            map[chainId] = url;
        }

        return map;
    }

    private static int Int(IConfigurationSection s, string key, int fallback)
    {
        string? v = s[key];
        if (v is null)
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new InvalidOperationException($"{Section}:{key} must be a non-negative integer, got '{v}'");
    }

    private static Func<string, int?> FindMarket(NodeRuntime node) => symbol =>
    {
        int m = node.Genesis.FindMarket(symbol);
        return m >= 0 ? m : null;
    };
}
