using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Node.Api;
using Solvent.Node.Hosting;
using Solvent.Node.Ingress;
using Solvent.Node.Sequencing;

namespace Solvent.Node.Dev;

/// <summary><c>POST /v1/dev/faucet</c> (only with <c>--dev</c>): the node's faucet key deposits tokens into any subaccount.</summary>
public static class DevEndpoints
{
    /// <summary>A faucet request: owner, subaccount, asset symbol and amount in human units.</summary>
    public sealed record FaucetRequest(string? Owner, uint Subaccount, string? Asset, string? Amount);

    /// <summary>Maps the faucet.</summary>
    public static void Map(WebApplication app, NodeRuntime node, DevKeys keys)
    {
        app.MapPost("/v1/dev/faucet", (Delegate)(async (HttpContext ctx) =>
        {
            byte[]? body = await BodyReader.ReadAsync(ctx.Request, node.Options.MaxBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                return ApiError.Result(413, NodeErrors.BodyTooLarge, "body too large");
            }

            FaucetRequest? req;
            try
            {
                req = JsonSerializer.Deserialize<FaucetRequest>(body, NodeJson.Options);
            }
            catch (JsonException e)
            {
                return ApiError.Result(400, NodeErrors.MalformedJson, e.Message);
            }

            if (req is null || !Address.TryParse(req.Owner, out Address owner))
            {
                return ApiError.Result(400, NodeErrors.BadRequest, "owner must be a 0x address");
            }

            if (!Web.FormInput.TryAssetAmount(node.Genesis, req.Asset, req.Amount, out int asset, out long amount, out IResult? bad))
            {
                return bad!;
            }

            Ack ack = await Fund(node, keys, new AccountKey(owner, req.Subaccount), asset, amount).ConfigureAwait(false);
            return ActionEndpoints.ToResult(ack);
        })).WithSummary("Dev only: deposit tokens into a subaccount from the faucet key");
    }

    /// <summary>Deposits <paramref name="amount"/> quantums of <paramref name="asset"/> into <paramref name="account"/>, signed by the faucet.</summary>
    public static Task<Ack> Fund(NodeRuntime node, DevKeys keys, AccountKey account, int asset, long amount) =>
        node.Sequencer.SubmitOwnAsync(keys.Faucet.Address, nonce =>
        {
            var action = new Deposit(keys.Faucet.Address, account, asset, amount);
            byte[] raw = Encoding.UTF8.GetBytes(keys.Faucet.Sign(action, nonce));
            return (new DecodedAction(action, keys.Faucet.Address, nonce), raw);
        });
}
