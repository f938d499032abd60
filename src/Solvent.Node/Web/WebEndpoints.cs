using System.Reflection;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Math;
using Solvent.Core.State;
using Solvent.Node.Api;
using Solvent.Node.Hosting;
using Solvent.Node.Ingress;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Web;

/// <summary>
/// The web app (<c>/app/</c>: venue, account, what-if, risk) as embedded static files, plus the server pieces it
/// calls: the pre-signing form check, the what-if evaluation and, on a dev chain, signing with the demo keys.
/// </summary>
public static class WebEndpoints
{
    /// <summary>Where the app is served.</summary>
    public const string Path = "/app/";

    /// <summary>A form as the app sends it: action type, subaccount, asset symbol, amount in human units; <c>Signer</c> names a demo key.</summary>
    public sealed record FormRequest(string? Type, string? Signer, uint Subaccount, string? Asset, string? Amount);

    /// <summary>A form that passed: the asset id and the raw amount to put in the typed data.</summary>
    public sealed record FormChecked(string Type, int Asset, string Amount);

    /// <summary>The types a form may carry (the rest need fields a plain amount form does not have).</summary>
    public static readonly string[] FormTypes = ["Deposit", "Withdraw", "Borrow", "Repay"];

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    /// <summary>Maps the app's files and endpoints.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        app.MapGet(Path + "{file?}", (string? file) =>
        {
            string name = string.IsNullOrEmpty(file) ? "index.html" : file;
            if (!Files.TryGetValue(name, out string? type))
            {
                return ApiError.Result(404, NodeErrors.NotFound, $"no file '{name}' in the web app");
            }

            using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream("web/" + name)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return Results.Bytes(ms.ToArray(), type);
        }).ExcludeFromDescription();

        MapReports(app);
        ChartEndpoints.Map(app, node);
        app.MapPost("/v1/web/check", async (HttpContext ctx) =>
        {
            (FormRequest? req, IResult? bad) = await ReadFormAsync(ctx, node).ConfigureAwait(false);
            if (req is null)
            {
                return bad!;
            }

            return !TryForm(node, req, out int asset, out long amount, out IResult? err)
                ? err!
                : Results.Json(new FormChecked(req.Type!, asset, amount.ToString(System.Globalization.CultureInfo.InvariantCulture)), NodeJson.Options);
        }).WithSummary("Checks a deposit/withdraw/borrow/repay form before signing: the same codes and messages as the faucet and actions")
            .Produces<FormChecked>().Produces<ApiError>(400);

        app.MapGet("/v1/whatif/{address}/{subaccount}", async (string address, string subaccount, string? asset, string? price) =>
        {
            if (!ReadEndpoints.TryKey(address, subaccount, out AccountKey key, out IResult? error))
            {
                return error!;
            }

            int a = node.Genesis.FindAsset(asset ?? "");
            if (a < 0)
            {
                return ApiError.Result(400, ErrorCodes.Name(ErrorCode.UnknownAsset), $"unknown asset '{asset}'");
            }

            if (!DecimalString.TryParseLong(price, Precision.PriceDecimals, out long p, out string err) || p <= 0)
            {
                return ApiError.Result(400, ErrorCodes.Name(ErrorCode.InvalidAmount), $"price: {(p <= 0 && err.Length == 0 ? "must be positive" : err)}");
            }

            byte[] snapshot;
            long height;
            try
            {
                (snapshot, height) = await node.Sequencer.QueryChainAsync(c => (WhatIf.Capture(c), c.Engine.Height)).ConfigureAwait(false);
            }
            catch (SequencerUnavailableException e)
            {
                return ApiError.Result(503, e.Code, e.Message);
            }

            Core.Eval.SubaccountReport? report = WhatIf.Evaluate(node.Genesis, snapshot, key, a, p);
            return report is null
                ? ApiError.Result(404, NodeErrors.NotFound, $"subaccount {key} does not exist")
                : Results.Json(new ReadEndpoints.AccountResponse(height, report), NodeJson.Options);
        }).WithSummary("What-if: one subaccount evaluated by the engine with one asset at another price (the live state is untouched)")
            .Produces<ReadEndpoints.AccountResponse>().Produces<ApiError>(400).Produces<ApiError>(404);

        if (node.Dev is { } keys)
        {
            app.MapGet("/v1/dev/keys", () => Results.Json(keys.Users.Select(u => new { name = u.Seed, address = u.Signer.Address.ToString() }), NodeJson.Options))
                .WithSummary("Dev only: the demo keys the web app can sign with");
            app.MapPost("/v1/dev/act", async (HttpContext ctx) =>
            {
                (FormRequest? req, IResult? bad) = await ReadFormAsync(ctx, node).ConfigureAwait(false);
                if (req is null)
                {
                    return bad!;
                }

                if (!TryForm(node, req, out int asset, out long amount, out IResult? err))
                {
                    return err!;
                }

                int who = keys.Users.ToList().FindIndex(u => u.Seed == req.Signer);
                if (who < 0)
                {
                    return ApiError.Result(400, NodeErrors.BadRequest, $"signer must be one of the demo keys: {string.Join(", ", Dev.DevKeys.UserSeeds)}");
                }

                Crypto.ActionSigner signer = keys.Users[who].Signer;
                var account = new AccountKey(signer.Address, req.Subaccount);
                EngineAction action = req.Type switch
                {
                    "Deposit" => new Deposit(signer.Address, account, asset, amount),
                    "Withdraw" => new Withdraw(signer.Address, account, asset, amount),
                    "Borrow" => new Borrow(signer.Address, account, asset, amount),
                    _ => new Repay(signer.Address, account, asset, amount),
                };
                Ack ack = await node.Sequencer.SubmitOwnAsync(signer.Address, nonce =>
                    (new DecodedAction(action, signer.Address, nonce), Encoding.UTF8.GetBytes(signer.Sign(action, nonce)))).ConfigureAwait(false);
                return ActionEndpoints.ToResult(ack);
            }).WithSummary("Dev only: a form signed as EIP-712 by a demo key (alice, bob, carol, keeper) and submitted");
        }
    }

    /// <summary>Configuration key of the directory whose stress reports (<c>solvent stress run --out DIR</c>) the app lists under <c>/reports/</c>.</summary>
    public const string ReportsKey = "Solvent:ReportsDir";

    private static void MapReports(WebApplication app)
    {
        string? dir = app.Configuration[ReportsKey];
        string? root = string.IsNullOrEmpty(dir) || !Directory.Exists(dir) ? null : System.IO.Path.GetFullPath(dir);
        if (root is not null)
        {
            // The file provider refuses paths outside the root, so a crafted URL cannot read the rest of the disk.
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root), RequestPath = "/reports" });
        }

        app.MapGet("/v1/web/reports", () =>
        {
            if (root is null)
            {
                return Results.Json(Array.Empty<string>(), NodeJson.Options);
            }

            // A report is a report.html at the root or one directory down (one per --out directory).
            IEnumerable<string> found = Directory.EnumerateFiles(root, "report.html", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1 })
                .Select(f => "/reports/" + System.IO.Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal);
            return Results.Json(found.ToArray(), NodeJson.Options);
        }).WithSummary("Stress reports in the configured reports directory (Solvent:ReportsDir), as links under /reports/").Produces<string[]>();
    }

    private static bool TryForm(NodeRuntime node, FormRequest req, out int asset, out long amount, out IResult? error)
    {
        asset = -1;
        amount = 0;
        if (req.Type is null || Array.IndexOf(FormTypes, req.Type) < 0)
        {
            error = ApiError.Result(400, NodeErrors.BadRequest, $"type must be one of {string.Join(", ", FormTypes)}");
            return false;
        }

        return FormInput.TryAssetAmount(node.Genesis, req.Asset, req.Amount, out asset, out amount, out error);
    }

    private static async Task<(FormRequest? Request, IResult? Error)> ReadFormAsync(HttpContext ctx, NodeRuntime node)
    {
        byte[]? body = await BodyReader.ReadAsync(ctx.Request, node.Options.MaxBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, ApiError.Result(413, NodeErrors.BodyTooLarge, "body too large"));
        }

        try
        {
            FormRequest? req = JsonSerializer.Deserialize<FormRequest>(body, NodeJson.Options);
            return req is null ? (null, ApiError.Result(400, NodeErrors.MalformedJson, "expected a JSON object")) : (req, null);
        }
        catch (JsonException e)
        {
            return (null, ApiError.Result(400, NodeErrors.MalformedJson, e.Message));
        }
    }
}
