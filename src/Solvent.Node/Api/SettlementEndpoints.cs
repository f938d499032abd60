using System.Globalization;
using Solvent.Core.Config;
using Solvent.Core.Eval;
using Solvent.Core.Settlement;
using Solvent.Core.State;
using Solvent.Node.Hosting;
using Solvent.Node.Settlement;

namespace Solvent.Node.Api;

/// <summary>
/// Settlement reads: the latest commitment (roots, forced counts, validator signatures), Merkle proofs of a
/// withdrawal record or an owner's exit leaves against it, and each vault chain's custody. Proofs are always
/// against the latest commitment, which is what a vault accepts once the poster has posted it.
/// </summary>
public static class SettlementEndpoints
{
    /// <summary>Error code when the venue has no settlement section.</summary>
    public const string SettlementOff = "SETTLEMENT_OFF";

    /// <summary>Error code before the first commitment height.</summary>
    public const string NoCommitment = "NO_COMMITMENT";

    /// <summary>The latest commitment.</summary>
    public sealed record CommitmentResponse(long Height, string StateRoot, string WithdrawalsRoot, string ExitRoot, string ForcedRoot, IReadOnlyList<string> ForcedChainIds, IReadOnlyList<string> ForcedCounts, string Digest, IReadOnlyList<string> Signatures, string? Validator, string Withdrawals, int Exits);

    /// <summary>A withdrawal record as the vault's <c>claim</c> takes it.</summary>
    public sealed record WithdrawalRecordView(string Id, string Recipient, string ChainId, string Token, string Amount);

    /// <summary>A withdrawal record and its 32 siblings (bottom-up) against the committed withdrawals root.</summary>
    public sealed record WithdrawalProofResponse(long Height, string WithdrawalsRoot, WithdrawalRecordView Record, string Leaf, IReadOnlyList<string> Proof);

    /// <summary>An exit leaf as the vault's <c>exit</c> takes it, with its index and siblings.</summary>
    public sealed record ExitLeafView(string Owner, string ChainId, string Token, string Amount, int Index, string Leaf, IReadOnlyList<string> Proof);

    /// <summary>An owner's exit leaves at the latest commitment (one per chain and token it can claim).</summary>
    public sealed record ExitProofResponse(long Height, string ExitRoot, IReadOnlyList<ExitLeafView> Leaves);

    /// <summary>A vault token and what the venue's books say the vault holds of it.</summary>
    public sealed record ChainTokenView(string Asset, string Token, Amount Custody);

    /// <summary>A vault chain: deposits credited, forced requests processed, custody per token.</summary>
    public sealed record ChainView(string ChainId, string Vault, int Confirmations, string DepositsCredited, string ForcedProcessed, IReadOnlyList<ChainTokenView> Tokens);

    /// <summary>Every vault chain at the current height.</summary>
    public sealed record ChainsResponse(long Height, string Custody, IReadOnlyList<ChainView> Chains);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app, NodeRuntime node)
    {
        app.MapGet("/v1/settlement/commitments/latest", () =>
        {
            if (Latest(node, out Commitment? c) is { } err)
            {
                return err;
            }

            return Results.Json(
                new CommitmentResponse(
                    c!.Height, Hex.Of(c.Attestation.StateRoot), Hex.Of(c.Attestation.WithdrawalsRoot), Hex.Of(c.Attestation.ExitRoot), Hex.Of(c.Attestation.ForcedRoot),
                    [.. c.ChainIds.Select(x => x.ToString(CultureInfo.InvariantCulture))], [.. c.ForcedCounts.Select(x => x.ToString(CultureInfo.InvariantCulture))],
                    Hex.Of(c.Digest), [.. c.Signatures.Select(s => Hex.Of(s))], node.Settlement!.Validator, c.Withdrawals.Count.ToString(CultureInfo.InvariantCulture), c.Exits.Count),
                NodeJson.Options);
        }).WithSummary("The latest settlement commitment: roots, forced counts and validator signatures (what the poster submits to commitRoot)")
            .Produces<CommitmentResponse>().Produces<ApiError>(404);

        app.MapGet("/v1/settlement/withdrawals/{id}/proof", (string id) =>
        {
            if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ulong wid))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, "id must be a non-negative integer");
            }

            if (Latest(node, out Commitment? c) is { } err)
            {
                return err;
            }

            if (wid >= (ulong)c!.Withdrawals.Count)
            {
                return ApiError.Result(404, NodeErrors.NotFound, $"withdrawal {wid} is not in the commitment at height {c.Height} ({c.Withdrawals.Count} records); wait for the next commitment");
            }

            WithdrawalRecord r = c.Withdrawals[(int)wid];
            byte[][] proof = WithdrawalTree.Proof(c.WithdrawalLeaves, (int)wid);
            return Results.Json(
                new WithdrawalProofResponse(c.Height, Hex.Of(c.Attestation.WithdrawalsRoot), View(r), Hex.Of(c.WithdrawalLeaves[(int)wid]), [.. proof.Select(p => Hex.Of(p))]),
                NodeJson.Options);
        }).WithSummary("A withdrawal record and its depth-32 proof against the latest committed withdrawals root (the vault's claim arguments)")
            .Produces<WithdrawalProofResponse>().Produces<ApiError>(400).Produces<ApiError>(404);

        app.MapGet("/v1/settlement/exits/{owner}/proof", (string owner) =>
        {
            if (!Address.TryParse(owner, out Address o))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, "owner must be 0x followed by 40 hex digits");
            }

            if (Latest(node, out Commitment? c) is { } err)
            {
                return err;
            }

            var leaves = new List<ExitLeafView>();
            for (int i = 0; i < c!.Exits.Count; i++)
            {
                ExitLeaf l = c.Exits[i];
                if (l.Owner == o)
                {
                    leaves.Add(new ExitLeafView(
                        l.Owner.ToString(), l.ChainId.ToString(CultureInfo.InvariantCulture), l.Token.ToString(), l.Amount.ToString(CultureInfo.InvariantCulture), i,
                        Hex.Of(c.ExitHashes[i]), [.. ExitTree.Proof(c.ExitHashes, i).Select(p => Hex.Of(p))]));
                }
            }

            return Results.Json(new ExitProofResponse(c.Height, Hex.Of(c.Attestation.ExitRoot), leaves), NodeJson.Options);
        }).WithSummary("An owner's exit leaves and proofs against the latest committed exit root (the vault's exit arguments once frozen)")
            .Produces<ExitProofResponse>().Produces<ApiError>(400).Produces<ApiError>(404);

        app.MapGet("/v1/settlement/chains", async () =>
        {
            if (node.Genesis.Settlement is null)
            {
                return Off();
            }

            try
            {
                ChainsResponse r = await node.Sequencer.QueryAsync(e =>
                {
                    SettlementState st = e.Settlement!;
                    var chains = new List<ChainView>();
                    for (int c = 0; c < st.Config.Chains.Count; c++)
                    {
                        SettlementChain ch = st.Config.Chains[c];
                        var tokens = ch.Tokens.Select((t, i) => new ChainTokenView(
                            e.Genesis.Assets[t.Asset].Symbol, t.Token.ToString(), Amount.Of(st.Custody[c][i], e.Genesis.Assets[t.Asset].QuantumDecimals))).ToList();
                        chains.Add(new ChainView(
                            ch.ChainId.ToString(CultureInfo.InvariantCulture), ch.Vault.ToString(), ch.Confirmations,
                            st.NextDeposit[c].ToString(CultureInfo.InvariantCulture), st.ForcedProcessed[c].ToString(CultureInfo.InvariantCulture), tokens));
                    }

                    return new ChainsResponse(e.Height, st.Config.Custody == CustodyMode.Bridged ? "bridged" : "declared", chains);
                }).ConfigureAwait(false);
                return Results.Json(r, NodeJson.Options);
            }
            catch (Sequencing.SequencerUnavailableException e)
            {
                return ApiError.Result(503, e.Code, e.Message);
            }
        }).WithSummary("Each vault chain's liquidity per asset (bridged deposits − recorded withdrawals), deposits credited and forced requests processed")
            .Produces<ChainsResponse>().Produces<ApiError>(404).Produces<ApiError>(503);
    }

    private static WithdrawalRecordView View(WithdrawalRecord r) => new(
        r.Id.ToString(CultureInfo.InvariantCulture), r.Recipient.ToString(), r.ChainId.ToString(CultureInfo.InvariantCulture), r.Token.ToString(), r.Amount.ToString(CultureInfo.InvariantCulture));

    private static IResult Off() => ApiError.Result(404, SettlementOff, "this venue has no settlement section (no vault chain)");

    private static IResult? Latest(NodeRuntime node, out Commitment? c)
    {
        c = null;
        if (node.Settlement is not { } s)
        {
            return Off();
        }

        c = s.Latest;
        return c is null ? ApiError.Result(404, NoCommitment, $"no commitment yet (one every {s.Config.CommitEveryBlocks} blocks)") : null;
    }
}
