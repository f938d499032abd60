using Solvent.Node.Api;
using Solvent.Node.Hosting;

namespace Solvent.Node.Replication;

/// <summary><c>GET /v1/finality</c>: this node's role and height, the latest final height with its signatures, and any divergence.</summary>
public static class FinalityEndpoints
{
    /// <summary>One validator's signature over a final attestation.</summary>
    /// <param name="Validator">Validator address.</param>
    /// <param name="Signature">65-byte r ‖ s ‖ v, 0x hex.</param>
    public sealed record SignatureView(string Validator, string Signature);

    /// <summary>The answer.</summary>
    /// <param name="Height">This node's height.</param>
    /// <param name="Role">leader, follower, diverged or starting.</param>
    /// <param name="Leader">The leader's advertised URL as last seen.</param>
    /// <param name="StreamHeight">Last block height in the stream as last seen.</param>
    /// <param name="Threshold">Signatures a root needs.</param>
    /// <param name="Validators">The genesis validator set.</param>
    /// <param name="FinalHeight">Latest final height (0 when none).</param>
    /// <param name="FinalStateRoot">Its state root (empty when none).</param>
    /// <param name="AgreesWithLocal">Whether this node's logged root at that height is the final one (null when it has not reached it).</param>
    /// <param name="Signatures">Signatures of the final attestation, by increasing validator address (the order a vault's commitRoot takes).</param>
    /// <param name="Divergence">Why this node stopped following, or null.</param>
    /// <param name="LastTakeoverMs">When this node took over leadership: ms from the lease being seen free to sequencing.</param>
    public sealed record FinalityResponse(
        long Height, string Role, string? Leader, long StreamHeight, int Threshold, IReadOnlyList<string> Validators, long FinalHeight, string FinalStateRoot,
        bool? AgreesWithLocal, IReadOnlyList<SignatureView> Signatures, ReplicationStatus.DivergenceReport? Divergence, long? LastTakeoverMs);

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app, NodeRuntime node, ReplicationStatus status)
    {
        app.MapGet("/v1/finality", () =>
        {
            FinalityTracker.Final? f = status.Finality.Latest;
            bool? agrees = null;
            if (f is not null && node.Sequencer.Log.Read(f.Height) is { } b)
            {
                agrees = string.Equals(Hex.Of(b.StateRoot), f.StateRoot, StringComparison.OrdinalIgnoreCase);
            }

            return Results.Json(
                new FinalityResponse(
                    node.Sequencer.View.Head.Height,
                    status.Role,
                    status.Leader,
                    status.StreamHeight,
                    status.Finality.Validators.Threshold,
                    [.. status.Finality.Validators.Validators.Select(v => v.ToString())],
                    f?.Height ?? 0,
                    f?.StateRoot ?? "",
                    agrees,
                    f is null ? [] : [.. f.Signatures.Select(s => new SignatureView(s.Validator, s.Signature))],
                    status.Divergence,
                    status.LastTakeoverMs),
                NodeJson.Options);
        }).WithSummary("Replication: this node's role and height, the latest height attested by a threshold of validators with the signatures, and any divergence").Produces<FinalityResponse>();
    }
}
