using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Events;

namespace Solvent.Core;

/// <summary>Governance actions: prices of governance-priced assets and parameter updates. Only the genesis governance address may sign them.</summary>
public sealed partial class Engine
{
    /// <summary>Largest price (USD × 1e8) governance may set or repeg to: the genesis initialPrice bound.</summary>
    public const long MaxGovernancePrice = long.MaxValue / 1000;

    private ActionResult ApplySetPrice(SetOraclePrice s)
    {
        if (s.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may set oracle prices");
        }

        if (!ValidAsset(s.Asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {s.Asset} is not listed");
        }

        if (_feeds[s.Asset] is not null)
        {
            return Reject(ErrorCode.FeedManagedByOracle, $"{Sym(s.Asset)} is priced by its oracle publishers");
        }

        if (s.Price <= 0 || s.Price > MaxGovernancePrice)
        {
            return Reject(ErrorCode.InvalidPrice, "price must be positive and at most long.MaxValue / 1000 (as genesis initialPrice)");
        }

        var p = Touch(s.Asset);
        long old = p.Price;
        p.Price = s.Price;
        _events.Add(new PriceUpdated(s.Asset, old, s.Price));
        return Done();
    }

    private ActionResult ApplyUpdateRisk(UpdateAssetRisk u)
    {
        if (u.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may change risk parameters");
        }

        if (!ValidAsset(u.Asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {u.Asset} is not listed");
        }

        if (u.Risk is null || u.Risk.RateModel is null)
        {
            return Reject(ErrorCode.InvalidParameter, "risk parameters and rate model are required");
        }

        if (u.Risk.Validate() is { } problem)
        {
            return Reject(ErrorCode.InvalidParameter, $"{problem.Field}: {problem.Message}");
        }

        if (HealthModelRules.WeightGapProblem(Genesis.HealthModel, u.Risk) is { } gap)
        {
            return Reject(ErrorCode.InvalidParameter, $"initialAssetWeight: {gap}");
        }

        // Accrue at the old curve up to now, so the new curve applies only from this moment.
        var p = Touch(u.Asset);
        p.Risk = u.Risk;
        ParameterVersion++;
        _events.Add(new ParametersUpdated("assetRisk", u.Asset));
        return Done();
    }

    private ActionResult ApplyUpdateLiquidation(UpdateLiquidationConfig c)
    {
        if (c.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may change liquidation rules");
        }

        var cfg = c.Config;
        if (cfg is null)
        {
            return Reject(ErrorCode.InvalidParameter, "liquidation rules are required");
        }

        if (cfg.Validate() is { } problem)
        {
            return Reject(ErrorCode.InvalidParameter, problem);
        }

        Liquidation = cfg;
        ParameterVersion++;
        _events.Add(new ParametersUpdated("liquidation", -1));
        return Done();
    }
}
