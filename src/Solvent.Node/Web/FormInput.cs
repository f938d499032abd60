using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Node.Api;

namespace Solvent.Node.Web;

/// <summary>
/// The asset-and-amount parsing every human form shares (the dev faucet, the web app's dev signing and its
/// pre-signing check), so a form refuses bad input with exactly the code and message the API gives.
/// </summary>
public static class FormInput
{
    /// <summary>Resolves <paramref name="symbol"/> and parses a positive <paramref name="amount"/> in the asset's quantums; on failure <paramref name="error"/> is the 400 answer.</summary>
    public static bool TryAssetAmount(Genesis genesis, string? symbol, string? amount, out int asset, out long quantums, out IResult? error)
    {
        quantums = 0;
        error = null;
        asset = genesis.FindAsset(symbol ?? "");
        if (asset < 0)
        {
            error = ApiError.Result(400, ErrorCodes.Name(ErrorCode.UnknownAsset), $"unknown asset '{symbol}'");
            return false;
        }

        if (!DecimalString.TryParseLong(amount, genesis.Assets[asset].QuantumDecimals, out quantums, out string err) || quantums <= 0)
        {
            error = ApiError.Result(400, ErrorCodes.Name(ErrorCode.InvalidAmount), $"amount: {(quantums <= 0 && err.Length == 0 ? "must be positive" : err)}");
            return false;
        }

        return true;
    }
}
