using System.Reflection;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Eval;
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

    /// <summary>
    /// A form as the app sends it, amounts in human units; <c>Signer</c> names a demo key. Balance forms carry
    /// <c>Asset</c> and <c>Amount</c>; a transfer also <c>ToSubaccount</c>; an order <c>Market</c>, <c>Side</c>
    /// (buy or sell), <c>Size</c> in base units, an optional <c>WorstPrice</c> and <c>ReduceOnly</c>; closing a
    /// position <c>Market</c>, an optional <c>WorstPrice</c> and the position's <c>Owner</c> (the signer's own for a demo key);
    /// a limit order for the book <c>Market</c>, <c>Side</c>, <c>Price</c> (USD), <c>Size</c> and <c>PostOnly</c>; cancelling a
    /// resting order <c>Market</c> and <c>OrderId</c>.
    /// </summary>
    public sealed record FormRequest(
        string? Type, string? Signer, uint Subaccount, string? Asset, string? Amount, uint? ToSubaccount = null, string? Market = null, string? Side = null, string? Size = null,
        string? WorstPrice = null, bool ReduceOnly = false, string? Owner = null, string? Price = null, bool PostOnly = false, string? OrderId = null);

    /// <summary>
    /// A form that passed, as the typed data to sign: the action type (<c>ClosePosition</c> signs a reduce-only
    /// <c>PlaceOrder</c>), ids and raw integers. Fields a type does not use are null.
    /// </summary>
    /// <remarks>A limit order signs <c>PlaceBookOrder</c> (<c>Buy</c>, <c>Price</c>, positive <c>Size</c>, <c>OrderType</c>, good until cancelled); a cancel signs <c>CancelOrder</c> (<c>OrderId</c>).</remarks>
    public sealed record FormChecked(
        string Type, int Asset, string Amount, uint? ToSubaccount = null, int? Market = null, string? Size = null, string? WorstPrice = null, bool? ReduceOnly = null,
        bool? Buy = null, string? Price = null, int? OrderType = null, string? OrderId = null);

    /// <summary>A position-size what-if: the report after the order, or the engine's refusal of it (then <c>Account</c> is null).</summary>
    public sealed record PositionWhatIf(long Height, string Market, Amount Size, Core.Eval.SubaccountReport? Account, ApiErrorBody? Refused);

    /// <summary>The types a form may carry.</summary>
    public static readonly string[] FormTypes = ["Deposit", "Withdraw", "Borrow", "Repay", "Transfer", "PlaceOrder", "ClosePosition", "LimitOrder", "CancelOrder"];

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    // The live state's snapshot image and height for a private what-if copy, or the 503 a stopped sequencer gives.
    private static async Task<(byte[] Snapshot, long Height, IResult? Unavailable)> CaptureAsync(NodeRuntime node)
    {
        try
        {
            (byte[] snapshot, long height) = await node.Sequencer.QueryChainAsync(c => (WhatIf.Capture(c), c.Engine.Height)).ConfigureAwait(false);
            return (snapshot, height, null);
        }
        catch (SequencerUnavailableException e)
        {
            return ([], 0, ApiError.Result(503, e.Code, e.Message));
        }
    }

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

            Address.TryParse(req.Owner ?? "", out Address owner);
            (FormChecked? ok, IResult? err) = await CheckFormAsync(node, req, owner).ConfigureAwait(false);
            return ok is null ? err! : Results.Json(ok, NodeJson.Options);
        }).WithSummary("Checks a deposit/withdraw/borrow/repay/transfer/order/close form before signing: the same codes and messages as the faucet and actions")
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

            (byte[] snapshot, long height, IResult? unavailable) = await CaptureAsync(node).ConfigureAwait(false);
            if (unavailable is not null)
            {
                return unavailable;
            }

            Core.Eval.SubaccountReport? report = WhatIf.Evaluate(node.Genesis, snapshot, key, a, p);
            return report is null
                ? ApiError.Result(404, NodeErrors.NotFound, $"subaccount {key} does not exist")
                : Results.Json(new ReadEndpoints.AccountResponse(height, report), NodeJson.Options);
        }).WithSummary("What-if: one subaccount evaluated by the engine with one asset at another price (the live state is untouched)")
            .Produces<ReadEndpoints.AccountResponse>().Produces<ApiError>(400).Produces<ApiError>(404);

        app.MapGet("/v1/whatif/{address}/{subaccount}/position", async (string address, string subaccount, string? market, string? size) =>
        {
            if (!ReadEndpoints.TryKey(address, subaccount, out AccountKey key, out IResult? error))
            {
                return error!;
            }

            int m = node.Genesis.FindMarket(market ?? "");
            if (m < 0)
            {
                return ApiError.Result(400, ErrorCodes.Name(ErrorCode.UnknownMarket), $"unknown market '{market}'");
            }

            int baseQd = node.Genesis.Assets[node.Genesis.Markets[m].BaseAsset].QuantumDecimals;
            if (!DecimalString.TryParseLong(size, baseQd, out long target, out string err) || target == long.MinValue)
            {
                return ApiError.Result(400, ErrorCodes.Name(ErrorCode.InvalidAmount), $"size: {(err.Length == 0 ? "out of range" : err)}");
            }

            (byte[] snapshot, long height, IResult? unavailable) = await CaptureAsync(node).ConfigureAwait(false);
            if (unavailable is not null)
            {
                return unavailable;
            }

            if (WhatIf.EvaluateOrder(node.Genesis, snapshot, key, m, target) is not { } outcome)
            {
                return ApiError.Result(404, NodeErrors.NotFound, $"subaccount {key} does not exist");
            }

            return Results.Json(
                new PositionWhatIf(height, node.Genesis.Markets[m].Symbol, Amount.Of(target, baseQd), outcome.Report, outcome.Result.Ok ? null : new ApiErrorBody(outcome.Result.CodeName, outcome.Result.Message)),
                NodeJson.Options);
        }).WithSummary("What-if: one subaccount after a market order takes a perp position to a size, through the engine's order rules on a copy (the live state is untouched)")
            .Produces<PositionWhatIf>().Produces<ApiError>(400).Produces<ApiError>(404);

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

                // The form is judged first (as the check endpoint judges it), then the signer; closing a
                // position needs the signer to know whose position it is.
                int who = keys.Users.ToList().FindIndex(u => u.Seed == req.Signer);
                Address owner = who >= 0 ? keys.Users[who].Signer.Address : default;
                (FormChecked? ok, IResult? err) = await CheckFormAsync(node, req, owner).ConfigureAwait(false);
                if (ok is null && (who >= 0 || req.Type != "ClosePosition"))
                {
                    return err!;
                }

                if (who < 0 || ok is null)
                {
                    return ApiError.Result(400, NodeErrors.BadRequest, $"signer must be one of the demo keys: {string.Join(", ", Dev.DevKeys.UserSeeds)}");
                }

                Crypto.ActionSigner signer = keys.Users[who].Signer;

                EngineAction action = ToAction(signer.Address, req.Subaccount, ok);
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

    private static EngineAction ToAction(Address owner, uint subaccount, FormChecked f)
    {
        var account = new AccountKey(owner, subaccount);
        long amount = long.Parse(f.Amount, System.Globalization.CultureInfo.InvariantCulture);
        return f.Type switch
        {
            "Deposit" => new Deposit(owner, account, f.Asset, amount),
            "Withdraw" => new Withdraw(owner, account, f.Asset, amount),
            "Borrow" => new Borrow(owner, account, f.Asset, amount),
            "Repay" => new Repay(owner, account, f.Asset, amount),
            "Transfer" => new Transfer(owner, account, new AccountKey(owner, f.ToSubaccount!.Value), f.Asset, amount),
            "PlaceBookOrder" => new PlaceBookOrder(
                owner, account, f.Market!.Value, f.Buy!.Value, long.Parse(f.Price!, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(f.Size!, System.Globalization.CultureInfo.InvariantCulture), (Core.Perps.Book.OrderType)f.OrderType!.Value, Core.Perps.Book.TimeInForce.Gtc, 0, false),
            "CancelOrder" => new CancelOrder(owner, account, f.Market!.Value, long.Parse(f.OrderId!, System.Globalization.CultureInfo.InvariantCulture)),
            _ => new PlaceOrder(owner, account, f.Market!.Value, long.Parse(f.Size!, System.Globalization.CultureInfo.InvariantCulture), long.Parse(f.WorstPrice!, System.Globalization.CultureInfo.InvariantCulture), f.ReduceOnly!.Value),
        };
    }

    // Parses a form into the typed data to sign; the amount parsing and its messages are the faucet's
    // (FormInput), prices and sizes are read in their own units the same way.
    private static async Task<(FormChecked? Checked, IResult? Error)> CheckFormAsync(NodeRuntime node, FormRequest req, Address owner)
    {
        static (FormChecked?, IResult?) Bad(string code, string message) => (null, ApiError.Result(400, code, message));
        string inv(long x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (req.Type is null || Array.IndexOf(FormTypes, req.Type) < 0)
        {
            return Bad(NodeErrors.BadRequest, $"type must be one of {string.Join(", ", FormTypes)}");
        }

        if (req.Type is "LimitOrder" or "CancelOrder")
        {
            return BookForm(node.Genesis, req);
        }

        if (req.Type is "PlaceOrder" or "ClosePosition")
        {
            int market = node.Genesis.FindMarket(req.Market ?? "");
            if (market < 0)
            {
                return Bad(ErrorCodes.Name(ErrorCode.UnknownMarket), $"unknown market '{req.Market}'");
            }

            long worst = 0;
            if (!string.IsNullOrEmpty(req.WorstPrice) && (!DecimalString.TryParseLong(req.WorstPrice, Precision.PriceDecimals, out worst, out string perr) || worst <= 0))
            {
                return Bad(ErrorCodes.Name(ErrorCode.InvalidPrice), $"worstPrice: {(worst <= 0 && perr.Length == 0 ? "must be positive (or empty for none)" : perr)}");
            }

            long size;
            if (req.Type == "ClosePosition")
            {
                // The whole position, reduce-only: read now; if it changes before the order lands, reduce-only keeps it from flipping.
                var key = new AccountKey(owner, req.Subaccount);
                long held;
                try
                {
                    held = await node.Sequencer.QueryAsync(e => e.Accounts.Find(key) is var id and >= 0 ? e.Accounts.Size(id, market) : 0).ConfigureAwait(false);
                }
                catch (SequencerUnavailableException e)
                {
                    return (null, ApiError.Result(503, e.Code, e.Message));
                }

                if (held == 0)
                {
                    return Bad(ErrorCodes.Name(ErrorCode.NoPosition), $"{key} has no {node.Genesis.Markets[market].Symbol} position to close");
                }

                return (new FormChecked("PlaceOrder", -1, "0", Market: market, Size: inv(-held), WorstPrice: inv(worst), ReduceOnly: true), null);
            }

            if (req.Side is not ("buy" or "sell"))
            {
                return Bad(NodeErrors.BadRequest, "side must be buy or sell");
            }

            int baseQd = node.Genesis.Assets[node.Genesis.Markets[market].BaseAsset].QuantumDecimals;
            if (!DecimalString.TryParseLong(req.Size, baseQd, out size, out string serr) || size <= 0)
            {
                return Bad(ErrorCodes.Name(ErrorCode.InvalidAmount), $"size: {(size <= 0 && serr.Length == 0 ? "must be positive" : serr)}");
            }

            return (new FormChecked("PlaceOrder", -1, "0", Market: market, Size: inv(req.Side == "buy" ? size : -size), WorstPrice: inv(worst), ReduceOnly: req.ReduceOnly), null);
        }

        if (!FormInput.TryAssetAmount(node.Genesis, req.Asset, req.Amount, out int asset, out long amount, out IResult? error))
        {
            return (null, error);
        }

        if (req.Type == "Transfer")
        {
            if (req.ToSubaccount is not { } to)
            {
                return Bad(NodeErrors.BadRequest, "toSubaccount is required for a transfer");
            }

            if (to == req.Subaccount)
            {
                return Bad(ErrorCodes.Name(ErrorCode.SameAccount), "source and destination are the same subaccount");
            }
        }

        return (new FormChecked(req.Type, asset, inv(amount), ToSubaccount: req.Type == "Transfer" ? req.ToSubaccount : null), null);
    }

    // Book forms: the tick, step and minimum size are the engine's rules and answer after submission, like the market order's.
    private static (FormChecked? Checked, IResult? Error) BookForm(Genesis g, FormRequest req)
    {
        static (FormChecked?, IResult?) Bad(string code, string message) => (null, ApiError.Result(400, code, message));
        string inv(long x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int market = g.FindMarket(req.Market ?? "");
        if (market < 0)
        {
            return Bad(ErrorCodes.Name(ErrorCode.UnknownMarket), $"unknown market '{req.Market}'");
        }

        if (req.Type == "CancelOrder")
        {
            return long.TryParse(req.OrderId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long id) && id > 0
                ? (new FormChecked("CancelOrder", -1, "0", Market: market, OrderId: inv(id)), null)
                : Bad(ErrorCodes.Name(ErrorCode.UnknownOrder), "orderId must be a positive integer (an id from the open orders)");
        }

        if (req.Side is not ("buy" or "sell"))
        {
            return Bad(NodeErrors.BadRequest, "side must be buy or sell");
        }

        if (!DecimalString.TryParseLong(req.Price, Precision.PriceDecimals, out long price, out string perr) || price <= 0)
        {
            return Bad(ErrorCodes.Name(ErrorCode.InvalidPrice), $"price: {(price <= 0 && perr.Length == 0 ? "must be positive" : perr)}");
        }

        int baseQd = g.Assets[g.Markets[market].BaseAsset].QuantumDecimals;
        if (!DecimalString.TryParseLong(req.Size, baseQd, out long size, out string serr) || size <= 0)
        {
            return Bad(ErrorCodes.Name(ErrorCode.InvalidAmount), $"size: {(size <= 0 && serr.Length == 0 ? "must be positive" : serr)}");
        }

        var type = req.PostOnly ? Core.Perps.Book.OrderType.PostOnly : Core.Perps.Book.OrderType.Limit;
        return (new FormChecked("PlaceBookOrder", -1, "0", Market: market, Size: inv(size), Buy: req.Side == "buy", Price: inv(price), OrderType: (int)type, ReduceOnly: false), null);
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
