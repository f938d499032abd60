using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Solvent.Core.Events;
using Solvent.Node.Hosting;
using Solvent.Node.Ingress;
using Solvent.Node.Metrics;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Api;

/// <summary>
/// <c>POST /v1/actions/batch</c>: a JSON array of signed actions in one request, each verified, rate limited
/// and queued exactly as <c>POST /v1/actions</c> would, in array order; one answer per element, in order.
/// One request per action costs more CPU in HTTP handling than the signature recovery and the engine together,
/// so clients that send many actions save most of it here.
/// </summary>
public static class BatchEndpoint
{
    /// <summary>The answer to one element of a batch.</summary>
    /// <param name="Status">The HTTP status <c>POST /v1/actions</c> would have answered for this element alone.</param>
    /// <param name="Code">The engine's code when sequenced (<c>OK</c> or its rejection), else the refusal's code.</param>
    /// <param name="Message">Why it was rejected or refused; absent when applied.</param>
    /// <param name="Sequence">Global sequence number when in a block.</param>
    /// <param name="Height">Height of its block when in a block.</param>
    /// <param name="StateRoot">State root after its block.</param>
    /// <param name="AccountsRoot">Accounts root after its block.</param>
    /// <param name="Events">The engine's events when applied.</param>
    public sealed record BatchItem(
        int Status,
        string Code,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Sequence,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Height,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StateRoot,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccountsRoot,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EngineEvent>? Events);

    /// <summary>The answer to a batch: one item per element, in the batch's order.</summary>
    public sealed record BatchAccepted(IReadOnlyList<BatchItem> Results);

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        app.MapPost("/v1/actions/batch", (Delegate)((HttpContext ctx) => SubmitAsync(ctx, node)))
            .WithName("SubmitActionBatch")
            .WithSummary("Submit several signed actions in one request")
            .WithDescription($"Body: a JSON array of what POST /v1/actions takes (native or wallet typed-data form, each with its optional signer member), at most {new NodeOptions().MaxBatchActions} elements by default. Elements are verified, rate limited and queued in array order, so one signer's consecutive nonces may share a batch. Answers 200 once every element is answered: results[i] holds element i's status (what POST /v1/actions would answer: 200, 422, 400, 401, 403, 409, 413, 425, 429, 421, 503), code and, when sequenced, sequence, height, roots and events. A refused element changes nothing and does not stop the others (a later nonce of the same signer then answers NONCE_GAP). 400 MALFORMED_JSON when the body is not a JSON array, BATCH_EMPTY for [], BATCH_TOO_LARGE above the element limit, BAD_REQUEST with an X-Solvent-Signer header (name each element's signer instead); 413 BODY_TOO_LARGE above the batch byte limit.")
            .Produces<BatchAccepted>(StatusCodes.Status200OK)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> SubmitAsync(HttpContext ctx, NodeRuntime node)
    {
        NodeOptions o = node.Options;
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = o.MaxBatchBytes + 1L;
        }

        byte[]? body = await BodyReader.ReadAsync(ctx.Request, o.MaxBatchBytes, ctx.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            NodeMetrics.Refused.WithLabels(NodeErrors.BodyTooLarge).Inc();
            return ApiError.Result(StatusCodes.Status413PayloadTooLarge, NodeErrors.BodyTooLarge, $"batch bodies are limited to {o.MaxBatchBytes} bytes");
        }

        if (ctx.Request.Headers.ContainsKey(ActionEndpoints.SignerHeader))
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, NodeErrors.BadRequest, $"{ActionEndpoints.SignerHeader} names one signer; in a batch, put each element's claimed signer in its signer member");
        }

        if (Split(body, o.MaxBatchActions) is not { } elements)
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, NodeErrors.MalformedJson, "the body must be a JSON array of signed actions");
        }

        if (elements.Count == 0)
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, NodeErrors.BatchEmpty, "the batch holds no actions");
        }

        if (elements.Count > o.MaxBatchActions)
        {
            NodeMetrics.Refused.WithLabels(NodeErrors.BatchTooLarge).Inc();
            return ApiError.Result(StatusCodes.Status400BadRequest, NodeErrors.BatchTooLarge, $"a batch holds at most {o.MaxBatchActions} actions; split it");
        }

        var items = new BatchItem?[elements.Count];
        var pending = new Task<Ack>?[elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            byte[] raw = elements[i];
            if (raw.Length > o.MaxBodyBytes)
            {
                NodeMetrics.Refused.WithLabels(NodeErrors.BodyTooLarge).Inc();
                items[i] = Refused(new ActionEndpoints.Refusal(StatusCodes.Status413PayloadTooLarge, NodeErrors.BodyTooLarge, $"each action is limited to {o.MaxBodyBytes} bytes"));
                continue;
            }

            // Verified then queued one element at a time, so the queue sees the batch in its order.
            if (!ActionEndpoints.TryVerify(node, ref raw, out DecodedAction? action, out ActionEndpoints.Refusal refusal)
                || !ActionEndpoints.TryAdmit(node, action!, raw, out pending[i], out refusal))
            {
                items[i] = Refused(refusal);
            }
        }

        for (int i = 0; i < items.Length; i++)
        {
            if (pending[i] is { } p)
            {
                items[i] = Of(await p.ConfigureAwait(false));
            }
        }

        return Results.Json(new BatchAccepted(items!), NodeJson.Options);
    }

    private static BatchItem Refused(ActionEndpoints.Refusal r) => new(r.Status, r.Code, r.Message, null, null, null, null, null);

    private static BatchItem Of(Ack ack) => ack.Sequenced
        ? new BatchItem(ActionEndpoints.StatusOf(ack), ack.Code, ack.Ok ? null : ack.Message, ack.Sequence, ack.Height, ack.StateRoot, ack.AccountsRoot, ack.Ok ? ack.Events : null)
        : new BatchItem(ActionEndpoints.StatusOf(ack), ack.Code, ack.Message, null, null, null, null, null);

    /// <summary>
    /// The bytes of each element of a top-level JSON array, exactly as sent (the log keeps an action's own bytes);
    /// null when the body is not one well-formed array. Stops counting one past <paramref name="max"/>.
    /// </summary>
    internal static List<byte[]>? Split(byte[] body, int max)
    {
        var elements = new List<byte[]>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add(body[start..(int)reader.BytesConsumed]);
                if (elements.Count > max)
                {
                    return elements;
                }
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                return null;
            }

            // Nothing but whitespace may follow the array.
            return reader.Read() ? null : elements;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
