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
    public static EvalReport Build(Engine engine) => Build(engine, liquidationPrices: true);

    /// <summary>
    /// Evaluates every subaccount of an engine, in id order; without <paramref name="liquidationPrices"/>
    /// every liquidation price is left null (each one is a bisection, most of the time of a report).
    /// </summary>
    public static EvalReport Build(Engine engine, bool liquidationPrices)
    {
        var subs = new List<SubaccountReport>();
        for (int id = 0; id < engine.Accounts.Count; id++)
        {
            if (!engine.IsProtocolAccount(id))
            {
                subs.Add(Subaccount(engine, id, liquidationPrices));
            }
        }

        (List<AssetParameters> assetParams, List<MarketParameters> marketParams) = Parameters(engine);
        return new EvalReport(engine.Genesis.Name, subs, assetParams, marketParams);
    }

    /// <summary>One subaccount's report (balances, positions, health, liquidation prices) at current prices: what <c>solvent eval</c> and the node's account endpoint print.</summary>
    public static SubaccountReport Subaccount(Engine engine, int id) => Subaccount(engine, id, liquidationPrices: true);

    /// <summary>One subaccount's report; liquidation prices are null unless <paramref name="liquidationPrices"/>.</summary>
    public static SubaccountReport Subaccount(Engine engine, int id, bool liquidationPrices)
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

            BalanceFigures b = BalanceFigures.Of(engine, id, a, liquidationPrices);
            lines.Add(new BalanceLine(
                pools[a].Config.Symbol,
                Amount.Of(b.Amount, pools[a].Config.QuantumDecimals),
                Amount.Of(b.Price, Precision.PriceDecimals),
                Amount.Of(b.Value, V),
                b.LiquidationPrice is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
        }

        var positions = new List<PositionLine>();
        for (int mi = 0; mi < engine.Markets.Length; mi++)
        {
            if (engine.Accounts.Size(id, mi) == 0)
            {
                continue;
            }

            PerpMarket m = engine.Markets[mi];
            PositionFigures p = PositionFigures.Of(engine, id, mi, liquidationPrices);
            positions.Add(new PositionLine(
                m.Config.Symbol,
                Amount.Of(p.Size, m.BaseQuantumDecimals),
                Amount.Of(p.EntryPrice, Precision.PriceDecimals),
                Amount.Of(p.IndexPrice, Precision.PriceDecimals),
                Amount.Of(p.UnrealizedPnl, V),
                Amount.Of(p.MaintenanceRequirement, V),
                Amount.Of(p.InitialMarginFraction, 6),
                p.LiquidationPrice is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
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
            h.HealthFactorWadCapped is { } hf ? Amount.Of(hf, 18) : null,
            h.IsLiquidatable);
    }

    /// <summary>
    /// Null when every figure of subaccount <paramref name="id"/>'s report fits the engine's integer
    /// range; otherwise its largest holding, as <c>balances.SYMBOL: …</c> or <c>positions.MARKET: …</c>
    /// with its value, to name in the refusal (the overflow itself is in a sum or ratio of them all).
    /// </summary>
    public static string? OutOfRange(Engine engine, int id)
    {
        try
        {
            Health h = engine.HealthOf(id);
            // An eval request is input: a ratio beyond the integer range is refused there, naming the holding,
            // while the node's reads of live accounts report the capped figure instead.
            _ = h.HealthFactorWad;
            for (int mi = 0; mi < engine.Markets.Length; mi++)
            {
                if (engine.Accounts.Size(id, mi) != 0)
                {
                    _ = PositionFigures.Of(engine, id, mi, liquidationPrice: false);
                }
            }

            return null;
        }
        catch (OverflowException)
        {
            return LargestHolding(engine, id);
        }
    }

    /// <summary>
    /// Subaccount <paramref name="id"/>'s health into <paramref name="health"/>, true when every figure
    /// of its report fits the engine's integer range (what <see cref="OutOfRange"/> checks).
    /// </summary>
    public static bool TryHealth(Engine engine, int id, out Health health)
    {
        try
        {
            health = engine.HealthOf(id);
            _ = health.HealthFactorWad;
            for (int mi = 0; mi < engine.Markets.Length; mi++)
            {
                if (engine.Accounts.Size(id, mi) != 0)
                {
                    _ = PositionFigures.Of(engine, id, mi, liquidationPrice: false);
                }
            }

            return true;
        }
        catch (OverflowException)
        {
            health = default;
            return false;
        }
    }

    private static string LargestHolding(Engine engine, int id)
    {
        AssetPool[] pools = engine.Pools;
        ReadOnlySpan<long> scaled = engine.Accounts.Balances(id);
        string name = "";
        Int128 largest = -1;
        for (int a = 0; a < scaled.Length; a++)
        {
            if (scaled[a] != 0)
            {
                AssetPool p = pools[a];
                long amount = p.AmountOf(scaled[a]);
                Int128 value = p.ValueOf(System.Math.Abs(amount), Rounding.Down);
                if (value > largest)
                {
                    largest = value;
                    name = $"balances.{p.Config.Symbol}: {DecimalString.Format(amount, p.Config.QuantumDecimals)} at {DecimalString.Format(p.Price, Precision.PriceDecimals)} USD is worth {DecimalString.Format(value, Precision.ValueDecimals)} USD";
                }
            }
        }

        for (int mi = 0; mi < engine.Markets.Length; mi++)
        {
            long size = engine.Accounts.Size(id, mi);
            if (size != 0)
            {
                PerpMarket m = engine.Markets[mi];
                AssetPool bp = pools[m.Config.BaseAsset];
                Int128 notional = FullMath.Div(Int128.Abs(size) * bp.Price, bp.ValueDivisor, Rounding.Down);
                if (notional > largest)
                {
                    largest = notional;
                    name = $"positions.{m.Config.Symbol}: {DecimalString.Format(size, m.BaseQuantumDecimals)} at {DecimalString.Format(bp.Price, Precision.PriceDecimals)} USD has a notional of {DecimalString.Format(notional, Precision.ValueDecimals)} USD";
                }
            }
        }

        return name;
    }
}

/// <summary>The raw figures of one balance line of a report (scaled integers, before formatting).</summary>
/// <param name="Asset">Asset index.</param>
/// <param name="Amount">Signed amount in quantums.</param>
/// <param name="Price">Oracle price, USD × 1e8.</param>
/// <param name="Value">Signed value, USD × 1e6: positive rounded down, negative rounded up in magnitude.</param>
/// <param name="LiquidationPrice">USD × 1e8, or null when none (or not asked for).</param>
public readonly record struct BalanceFigures(int Asset, long Amount, long Price, Int128 Value, long? LiquidationPrice)
{
    /// <summary>The figures of <paramref name="asset"/> in subaccount <paramref name="id"/>.</summary>
    public static BalanceFigures Of(Engine engine, int id, int asset, bool liquidationPrice)
    {
        AssetPool p = engine.Pools[asset];
        long amount = p.AmountOf(engine.Accounts.Scaled(id, asset));
        Int128 value = amount >= 0 ? p.ValueOf(amount, Rounding.Down) : -p.ValueOf(-amount, Rounding.Up);
        return new BalanceFigures(asset, amount, p.Price, value, liquidationPrice ? engine.LiquidationPriceOf(id, asset) : null);
    }
}

/// <summary>The raw figures of one position line of a report (scaled integers, before formatting).</summary>
/// <param name="Market">Market index.</param>
/// <param name="Size">Signed size in base quantums.</param>
/// <param name="EntryPrice">|quote| ÷ |size|, USD × 1e8, rounded down.</param>
/// <param name="IndexPrice">The base asset's oracle price, USD × 1e8.</param>
/// <param name="UnrealizedPnl">USD × 1e6, after unsettled funding.</param>
/// <param name="MaintenanceRequirement">USD × 1e6, rounded up.</param>
/// <param name="InitialMarginFraction">Effective initial margin fraction, ppm.</param>
/// <param name="LiquidationPrice">The base asset's liquidation price, USD × 1e8, or null.</param>
public readonly record struct PositionFigures(int Market, long Size, Int128 EntryPrice, long IndexPrice, long UnrealizedPnl, Int128 MaintenanceRequirement, long InitialMarginFraction, long? LiquidationPrice)
{
    /// <summary>The figures of market <paramref name="market"/> in subaccount <paramref name="id"/>.</summary>
    public static PositionFigures Of(Engine engine, int id, int market, bool liquidationPrice)
    {
        PerpMarket m = engine.Markets[market];
        AssetPool bp = engine.Pools[m.Config.BaseAsset];
        long size = engine.Accounts.Size(id, market);
        long quote = engine.Accounts.Quote(id, market);
        long pnl = PerpHealth.Pnl(m, size, quote, engine.Accounts.FundingSnapshot(id, market), bp.Price, bp.ValueDivisor);
        long imf = PerpHealth.InitialFraction(m, size, bp.Price, bp.ValueDivisor);
        Int128 mr = FullMath.Div((Int128)PerpHealth.AbsNotional(size, bp.Price, bp.ValueDivisor) * m.Risk.MaintenanceMarginFraction, Precision.Ppm, Rounding.Up);
        Int128 entry = FullMath.Div(Int128.Abs(quote) * bp.ValueDivisor, System.Math.Abs(size), Rounding.Down);
        return new PositionFigures(market, size, entry, bp.Price, pnl, mr, imf, liquidationPrice ? engine.LiquidationPriceOf(id, m.Config.BaseAsset) : null);
    }
}
