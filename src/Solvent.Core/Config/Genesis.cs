using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>A venue, fully described: validated by <see cref="GenesisLoader"/>.</summary>
public sealed record Genesis
{
    /// <summary>Venue name.</summary>
    public required string Name { get; init; }

    /// <summary>Chain id used in signed-action domains.</summary>
    public required long ChainId { get; init; }

    /// <summary>Time of the genesis state (Unix seconds); the first block may not be earlier.</summary>
    public required long GenesisTime { get; init; }

    /// <summary>Address whose signed actions may change parameters and the prices of assets without a publisher feed.</summary>
    public required Address Governance { get; init; }

    /// <summary>Index of the settlement (quote) asset in <see cref="Assets"/>.</summary>
    public required int QuoteAsset { get; init; }

    /// <summary>Assets in dense-id order.</summary>
    public required IReadOnlyList<AssetConfig> Assets { get; init; }

    /// <summary>Starting risk parameters, same order as <see cref="Assets"/>.</summary>
    public required IReadOnlyList<AssetRiskParams> Risk { get; init; }

    /// <summary>Liquidation rules.</summary>
    public required LiquidationConfig Liquidation { get; init; }

    /// <summary>How maintenance health weights collateral (genesis <c>healthModel</c>; default exact).</summary>
    public HealthModel HealthModel { get; init; } = HealthModel.Exact;

    /// <summary>Perpetual markets in dense-id order (may be empty).</summary>
    public IReadOnlyList<PerpMarketConfig> Markets { get; init; } = [];

    /// <summary>Starting market parameters, same order as <see cref="Markets"/>.</summary>
    public IReadOnlyList<PerpRiskParams> MarketRisk { get; init; } = [];

    /// <summary>
    /// Fee (settlement-asset quantums) paid from that asset's insurance fund to whoever writes off an
    /// account's uncollectable debt (genesis <c>liquidation.writeOffFee</c>, 0 to 100 units; capped by the fund).
    /// </summary>
    public long WriteOffFee { get; init; }

    /// <summary>Venue-wide perpetual rules.</summary>
    public PerpConfig Perps { get; init; } = PerpConfig.Default;

    /// <summary>Assets priced by signed publisher reports; the others are priced by governance.</summary>
    public IReadOnlyList<OracleFeedConfig> Oracles { get; init; } = [];

    /// <summary>Volatility-driven controllers of asset weights and market margin fractions.</summary>
    public IReadOnlyList<RiskControllerConfig> RiskControllers { get; init; } = [];

    /// <summary>Vault chains, validators and custody rules (genesis <c>settlement</c>); null when the venue has no custody chain.</summary>
    public SettlementConfig? Settlement { get; init; }

    /// <summary>Looks a market up by symbol (case-insensitive); -1 when unknown.</summary>
    public int FindMarket(string symbol)
    {
        for (int i = 0; i < Markets.Count; i++)
        {
            if (string.Equals(Markets[i].Symbol, symbol, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Looks an asset up by symbol (case-insensitive); -1 when unknown.</summary>
    public int FindAsset(string symbol)
    {
        for (int i = 0; i < Assets.Count; i++)
        {
            if (string.Equals(Assets[i].Symbol, symbol, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
