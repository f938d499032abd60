using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>A number as both a human decimal string and the raw integer, so JSON clients never round.</summary>
public sealed record Amount(string Value, string Raw)
{
    /// <summary>From a scaled integer.</summary>
    public static Amount Of(Int128 raw, int decimals) => new(DecimalString.Format(raw, decimals), raw.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One asset line of a subaccount report.</summary>
public sealed record BalanceLine(string Asset, Amount Balance, Amount Price, Amount Value, Amount? LiquidationPrice);

/// <summary>One perpetual position of a subaccount report.</summary>
public sealed record PositionLine(string Market, Amount Size, Amount EntryPrice, Amount IndexPrice, Amount UnrealizedPnl, Amount MaintenanceRequirement, Amount InitialMarginFraction, Amount? LiquidationPrice);

/// <summary>Health figures of one subaccount (values in USD).</summary>
public sealed record SubaccountReport(
    string Owner,
    uint Number,
    string Mode,
    IReadOnlyList<BalanceLine> Balances,
    IReadOnlyList<PositionLine> Positions,
    Amount CollateralValue,
    Amount DebtValue,
    Amount InitialWeightedCollateral,
    Amount InitialWeightedLiabilities,
    Amount MaintenanceWeightedCollateral,
    Amount MaintenanceWeightedLiabilities,
    Amount InitialHealth,
    Amount MaintenanceHealth,
    Amount FreeCollateral,
    Amount Equity,
    Amount? HealthFactor,
    bool Liquidatable);

/// <summary>
/// Current price and risk parameters of an asset: who prices it ("governance" or "oracle"), the feed's
/// status and derived series when publisher-fed, and the weights now in force (the controller may have moved them).
/// </summary>
public sealed record AssetParameters(
    string Asset,
    string PriceSource,
    string FeedStatus,
    Amount Price,
    Amount? StablePrice,
    Amount? Twap,
    Amount? RealizedVolatility,
    Amount? ImpliedVolatility,
    Amount InitialAssetWeight,
    Amount MaintenanceAssetWeight,
    Amount InitialLiabilityWeight,
    Amount MaintenanceLiabilityWeight);

/// <summary>Current margin parameters of a perpetual market (the controller may have moved them).</summary>
public sealed record MarketParameters(string Market, Amount IndexPrice, Amount InitialMarginFraction, Amount MaintenanceMarginFraction, bool Controlled);

/// <summary>The answer of <c>solvent eval</c>.</summary>
public sealed record EvalReport(string Venue, IReadOnlyList<SubaccountReport> Subaccounts, IReadOnlyList<AssetParameters> Assets, IReadOnlyList<MarketParameters> Markets)
{
    /// <summary>Prices and parameters in force, asset by asset and market by market.</summary>
    public static (List<AssetParameters> Assets, List<MarketParameters> Markets) Parameters(Engine engine)
    {
        var assets = new List<AssetParameters>();
        for (int a = 0; a < engine.Pools.Length; a++)
        {
            AssetPool p = engine.Pools[a];
            Oracle.OracleFeed? f = engine.FeedOf(a);
            string status = f is null ? "ok" : f.Status != Oracle.FeedStatus.Ok ? f.Status.ToString().ToLowerInvariant() : f.IsStale(engine.Time) ? "stale" : "ok";
            assets.Add(new AssetParameters(
                p.Config.Symbol,
                f is null ? "governance" : "oracle",
                status,
                Amount.Of(p.Price, Precision.PriceDecimals),
                f is null ? null : Amount.Of(f.StablePrice, Precision.PriceDecimals),
                f is null ? null : Amount.Of(f.Twap(engine.Time), Precision.PriceDecimals),
                f is null ? null : Amount.Of(f.RealizedVolatility, 6),
                f is null || f.ImpliedVolatility == 0 ? null : Amount.Of(f.ImpliedVolatility, 6),
                Amount.Of(p.Risk.InitialAssetWeight, 6),
                Amount.Of(p.Risk.MaintenanceAssetWeight, 6),
                Amount.Of(p.Risk.InitialLiabilityWeight, 6),
                Amount.Of(p.Risk.MaintenanceLiabilityWeight, 6)));
        }

        var markets = new List<MarketParameters>();
        for (int m = 0; m < engine.Markets.Length; m++)
        {
            PerpMarket pm = engine.Markets[m];
            bool controlled = false;
            foreach (Config.RiskControllerConfig c in engine.Genesis.RiskControllers)
            {
                controlled |= c.Market == m;
            }

            markets.Add(new MarketParameters(
                pm.Config.Symbol,
                Amount.Of(engine.Pools[pm.Config.BaseAsset].Price, Precision.PriceDecimals),
                Amount.Of(pm.Risk.InitialMarginFraction, 6),
                Amount.Of(pm.Risk.MaintenanceMarginFraction, 6),
                controlled));
        }

        return (assets, markets);
    }

    /// <summary>Evaluates every subaccount of an engine, in id order.</summary>
    public static EvalReport Build(Engine engine)
    {
        var subs = new List<SubaccountReport>();
        for (int id = 0; id < engine.Accounts.Count; id++)
        {
            if (!engine.IsProtocolAccount(id))
            {
                subs.Add(Subaccount(engine, id));
            }
        }

        (List<AssetParameters> assetParams, List<MarketParameters> marketParams) = Parameters(engine);
        return new EvalReport(engine.Genesis.Name, subs, assetParams, marketParams);
    }

    /// <summary>One subaccount's report (balances, positions, health, liquidation prices) at current prices: what <c>solvent eval</c> and the node's account endpoint print.</summary>
    public static SubaccountReport Subaccount(Engine engine, int id)
    {
        AssetPool[] pools = engine.Pools;
        const int V = Precision.ValueDecimals;
        ReadOnlySpan<long> scaled = engine.Accounts.Balances(id);
        Health h = engine.HealthOf(id);
        var lines = new List<BalanceLine>();
        for (int a = 0; a < scaled.Length; a++)
        {
            if (scaled[a] == 0)
            {
                continue;
            }

            AssetPool p = pools[a];
            long amount = p.AmountOf(scaled[a]);
            Int128 value = amount >= 0 ? p.ValueOf(amount, Rounding.Down) : -p.ValueOf(-amount, Rounding.Up);
            long? lp = engine.LiquidationPriceOf(id, a);
            lines.Add(new BalanceLine(
                p.Config.Symbol,
                Amount.Of(amount, p.Config.QuantumDecimals),
                Amount.Of(p.Price, Precision.PriceDecimals),
                Amount.Of(value, V),
                lp is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
        }

        var positions = new List<PositionLine>();
        for (int mi = 0; mi < engine.Markets.Length; mi++)
        {
            long size = engine.Accounts.Size(id, mi);
            if (size == 0)
            {
                continue;
            }

            PerpMarket m = engine.Markets[mi];
            AssetPool bp = pools[m.Config.BaseAsset];
            long quote = engine.Accounts.Quote(id, mi);
            long pnl = PerpHealth.Pnl(m, size, quote, engine.Accounts.FundingSnapshot(id, mi), bp.Price, bp.ValueDivisor);
            long imf = PerpHealth.InitialFraction(m, size, bp.Price, bp.ValueDivisor);
            Int128 mr = FullMath.Div((Int128)PerpHealth.AbsNotional(size, bp.Price, bp.ValueDivisor) * m.Risk.MaintenanceMarginFraction, Precision.Ppm, Rounding.Up);
            Int128 entry = FullMath.Div(Int128.Abs(quote) * bp.ValueDivisor, System.Math.Abs(size), Rounding.Down);
            long? lp = engine.LiquidationPriceOf(id, m.Config.BaseAsset);
            positions.Add(new PositionLine(
                m.Config.Symbol,
                Amount.Of(size, m.BaseQuantumDecimals),
                Amount.Of(entry, Precision.PriceDecimals),
                Amount.Of(bp.Price, Precision.PriceDecimals),
                Amount.Of(pnl, V),
                Amount.Of(mr, V),
                Amount.Of(imf, 6),
                lp is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
        }

        AccountKey key = engine.Accounts.KeyOf(id);
        return new SubaccountReport(
            key.Owner.ToString(),
            key.Number,
            engine.Accounts.ModeOf(id) == MarginMode.Cross ? "cross" : "isolated",
            lines,
            positions,
            Amount.Of(h.CollateralValue, V),
            Amount.Of(h.DebtValue, V),
            Amount.Of(h.InitialCollateral, V),
            Amount.Of(h.InitialLiabilities, V),
            Amount.Of(h.MaintenanceCollateral, V),
            Amount.Of(h.MaintenanceLiabilities, V),
            Amount.Of(h.InitialHealth, V),
            Amount.Of(h.MaintenanceHealth, V),
            Amount.Of(h.FreeCollateral, V),
            Amount.Of(h.Equity, V),
            h.HealthFactorWad is { } hf ? Amount.Of(hf, 18) : null,
            h.IsLiquidatable);
    }
}
