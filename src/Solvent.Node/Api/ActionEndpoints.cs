using Solvent.Node.Hosting;
using Solvent.Node.Ingress;
using Solvent.Node.Metrics;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Api;

/// <summary>
/// <c>POST /v1/actions</c>: reads the body under a size limit, decodes and verifies the signature on the
/// request thread (so verification runs in parallel), then hands the action to the sequencer and
/// answers once its block is durable.
/// </summary>
public static class ActionEndpoints
{
    /// <summary>Answer to an action that is in a committed block.</summary>
    public sealed record ActionAccepted(long Sequence, long Height, string StateRoot, string AccountsRoot, string Code, IReadOnlyList<Core.Events.EngineEvent> Events);

    /// <summary>Answer to an action the engine rejected (it is in the block and used its nonce, but changed nothing).</summary>
    public sealed record ActionRejected(ApiErrorBody Error, long Sequence, long Height, string StateRoot, string AccountsRoot);

    /// <summary>Request header naming the address the client expects the signature to recover.</summary>
    public const string SignerHeader = "X-Solvent-Signer";

    /// <summary>425 Too Early: the nonce is ahead; earlier nonces must land first.</summary>
    public const int TooEarly = 425;

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        app.MapPost("/v1/actions", (Delegate)((HttpContext ctx) => SubmitAsync(ctx, node)))
            .WithName("SubmitAction")
            .WithSummary("Submit one signed action (EIP-712 JSON)")
            .WithDescription("Body: {type, message, signature, signer?} or a wallet's {typedData, signature, signer?} (the eth_signTypedData_v4 parameter). Verifies the signature, checks the signer may act and its rate, checks the nonce is exactly the next one, sequences the action into a block and answers after the block is fsynced: 200 with sequence, height and events when the engine applied it; 422 with the engine's error code when it rejected it (the nonce is still used); 400 for malformed or badly signed input (WRONG_DOMAIN / WRONG_TYPES for typed data under another domain or layout); 401 SIGNER_MISMATCH when the signer member or X-Solvent-Signer header names another address than the signature recovers; 403 UNKNOWN_SIGNER when the signer has no account and is not depositing into its own; 409 NONCE_REPLAYED; 425 NONCE_GAP; 413 BODY_TOO_LARGE; 429 RATE_LIMITED (with Retry-After) or OVERLOADED; 421 NOT_LEADER on a replica (the message names the leader); 503 SEQUENCER_FAULTED, REPLICATION_UNAVAILABLE or UNAVAILABLE.")
            .Produces<ActionAccepted>(StatusCodes.Status200OK)
            .Produces<ActionRejected>(StatusCodes.Status422UnprocessableEntity)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable)
            .Produces<ApiError>(TooEarly);
        BatchEndpoint.Map(app, node);
    }

    private static async Task<IResult> SubmitAsync(HttpContext ctx, NodeRuntime node)
    {
        byte[]? body = await BodyReader.ReadAsync(ctx.Request, node.Options.MaxBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            NodeMetrics.Refused.WithLabels(NodeErrors.BodyTooLarge).Inc();
            return ApiError.Result(StatusCodes.Status413PayloadTooLarge, NodeErrors.BodyTooLarge, $"request bodies are limited to {node.Options.MaxBodyBytes} bytes");
        }

        if (!TryVerify(node, ref body, out DecodedAction? action, out Refusal refusal))
        {
            return refusal.ToResult(ctx);
        }

        // Optional claimed signer: a signature made under another domain (chain id) recovers some other
        // address, which only this claim can tell apart from a real new signer before sequencing.
        if (ctx.Request.Headers.TryGetValue(SignerHeader, out Microsoft.Extensions.Primitives.StringValues claimed))
        {
            if (!Core.State.Address.TryParse(claimed.ToString(), out Core.State.Address claimedSigner))
            {
                return ApiError.Result(StatusCodes.Status400BadRequest, NodeErrors.BadRequest, $"{SignerHeader} must be a 0x address");
            }

            if (!claimedSigner.Equals(action!.Signer))
            {
                NodeMetrics.Refused.WithLabels(NodeErrors.SignerMismatch).Inc();
                return ApiError.Result(StatusCodes.Status401Unauthorized, NodeErrors.SignerMismatch, $"the signature recovers {action.Signer}, not {claimedSigner}: signed for another chain id or domain, or altered");
            }
        }

        if (!TryAdmit(node, action!, body, out Task<Ack>? pending, out refusal))
        {
            return refusal.ToResult(ctx);
        }

        return ToResult(await pending!.ConfigureAwait(false));
    }

    /// <summary>
    /// Rewrites a wallet's typed-data body to the native form (what the log keeps), checks its schema and
    /// recovers its signer; on failure the refusal says why. Thread-safe, touches no chain state.
    /// </summary>
    internal static bool TryVerify(NodeRuntime node, ref byte[] body, out DecodedAction? action, out Refusal refusal)
    {
        action = null;
        if (TypedDataBody.Applies(body))
        {
            if (!node.TypedData.TryConvert(body, out byte[] wire, out string typedCode, out string typedMessage))
            {
                NodeMetrics.Refused.WithLabels(typedCode).Inc();
                refusal = new Refusal(StatusCodes.Status400BadRequest, typedCode, typedMessage);
                return false;
            }

            body = wire;
        }

        if (!node.Decoder.TryDecode(body, out action, out string code, out string message))
        {
            NodeMetrics.Refused.WithLabels(code).Inc();
            refusal = new Refusal(code == NodeErrors.SignerMismatch ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest, code, message);
            return false;
        }

        refusal = default;
        return true;
    }

    /// <summary>
    /// Takes a verified action through the signer's rate limit and into the sequencer's queue (in call order,
    /// which is the order its nonce is checked in); <paramref name="pending"/> completes when its block is durable.
    /// </summary>
    internal static bool TryAdmit(NodeRuntime node, DecodedAction action, byte[] body, out Task<Ack>? pending, out Refusal refusal)
    {
        pending = null;
        if (node.RateLimiter is { } limiter)
        {
            bool allowed = limiter.TryAcquire(action.Signer, out int retryAfter);
            NodeMetrics.RateLimitedSigners.Set(limiter.Tracked);
            if (!allowed)
            {
                NodeMetrics.RateLimited.Inc();
                NodeMetrics.Refused.WithLabels(NodeErrors.RateLimited).Inc();
                refusal = new Refusal(StatusCodes.Status429TooManyRequests, NodeErrors.RateLimited, $"{action.Signer} may send {limiter.RatePerSecond} actions a second (bursts of {limiter.Burst}); retry in {retryAfter} s", retryAfter);
                return false;
            }
        }

        pending = node.Sequencer.SubmitAsync(action, body);
        refusal = default;
        return true;
    }

    /// <summary>Why ingress refused an action before the sequencer saw it.</summary>
    internal readonly record struct Refusal(int Status, string Code, string Message, int RetryAfter = 0)
    {
        /// <summary>The HTTP answer (with Retry-After when rate limited).</summary>
        public IResult ToResult(HttpContext ctx)
        {
            if (RetryAfter > 0)
            {
                ctx.Response.Headers.RetryAfter = RetryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return ApiError.Result(Status, Code, Message);
        }
    }

    /// <summary>HTTP form of an acknowledgement.</summary>
    public static IResult ToResult(Ack ack)
    {
        if (ack.Ok)
        {
            return Results.Json(new ActionAccepted(ack.Sequence, ack.Height, ack.StateRoot, ack.AccountsRoot, ack.Code, ack.Events), NodeJson.Options);
        }

        if (ack.Sequenced)
        {
            return Results.Json(new ActionRejected(new ApiErrorBody(ack.Code, ack.Message), ack.Sequence, ack.Height, ack.StateRoot, ack.AccountsRoot), NodeJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        return ApiError.Result(StatusOf(ack), ack.Code, ack.Message);
    }

    /// <summary>The HTTP status of an acknowledgement: 200 applied, 422 rejected by the engine, else the refusal's.</summary>
    public static int StatusOf(Ack ack)
    {
        if (ack.Ok)
        {
            return StatusCodes.Status200OK;
        }

        if (ack.Sequenced)
        {
            return StatusCodes.Status422UnprocessableEntity;
        }

        return ack.Code switch
        {
            NodeErrors.NonceReplayed => StatusCodes.Status409Conflict,
            NodeErrors.NonceGap => TooEarly,
            NodeErrors.Overloaded => StatusCodes.Status429TooManyRequests,
            NodeErrors.UnknownSigner => StatusCodes.Status403Forbidden,
            NodeErrors.NotLeader => StatusCodes.Status421MisdirectedRequest,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
    }
}
