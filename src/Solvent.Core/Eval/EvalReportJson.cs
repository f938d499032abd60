using System.Globalization;
using System.Text.Json;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>
/// Writes an <see cref="EvalReport"/> straight from the engine to a <see cref="Utf8JsonWriter"/>, one
/// subaccount at a time and without building the report, so a caller that flushes between subaccounts
/// holds one subaccount's output at most. The JSON is the same, byte for byte, as serializing the
/// <see cref="EvalReport"/> records with camelCase names and the same writer options.
/// </summary>
public static class EvalReportJson
{
    /// <summary>Opens the report: <c>{ "venue": …, "subaccounts": [</c>.</summary>
    public static void WriteStart(Utf8JsonWriter w, Engine engine)
    {
        w.WriteStartObject();
        w.WriteString("venue"u8, engine.Genesis.Name);
        w.WriteStartArray("subaccounts"u8);
    }

    /// <summary>Writes the report of subaccount <paramref name="id"/> as one element of <c>subaccounts</c>.</summary>
    public static void WriteSubaccount(Utf8JsonWriter w, Engine engine, int id, bool liquidationPrices)
    {
        AssetPool[] pools = engine.Pools;
        const int V = Precision.ValueDecimals;
        Health h = engine.HealthOf(id);
        AccountKey key = engine.Accounts.KeyOf(id);
        w.WriteStartObject();
        w.WriteString("owner"u8, key.Owner.ToString());
        w.WriteNumber("number"u8, key.Number);
        w.WriteString("mode"u8, engine.Accounts.ModeOf(id) == MarginMode.Cross ? "cross"u8 : "isolated"u8);
        w.WriteStartArray("balances"u8);
        for (int a = 0; a < pools.Length; a++)
        {
            if (engine.Accounts.Scaled(id, a) == 0)
            {
                continue;
            }

            BalanceFigures b = BalanceFigures.Of(engine, id, a, liquidationPrices);
            w.WriteStartObject();
            w.WriteString("asset"u8, pools[a].Config.Symbol);
            WriteAmount(w, "balance"u8, b.Amount, pools[a].Config.QuantumDecimals);
            WriteAmount(w, "price"u8, b.Price, Precision.PriceDecimals);
            WriteAmount(w, "value"u8, b.Value, V);
            WriteAmount(w, "liquidationPrice"u8, b.LiquidationPrice, Precision.PriceDecimals);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("positions"u8);
        for (int mi = 0; mi < engine.Markets.Length; mi++)
        {
            if (engine.Accounts.Size(id, mi) == 0)
            {
                continue;
            }

            PerpMarket m = engine.Markets[mi];
            PositionFigures p = PositionFigures.Of(engine, id, mi, liquidationPrices);
            w.WriteStartObject();
            w.WriteString("market"u8, m.Config.Symbol);
            WriteAmount(w, "size"u8, p.Size, m.BaseQuantumDecimals);
            WriteAmount(w, "entryPrice"u8, p.EntryPrice, Precision.PriceDecimals);
            WriteAmount(w, "indexPrice"u8, p.IndexPrice, Precision.PriceDecimals);
            WriteAmount(w, "unrealizedPnl"u8, p.UnrealizedPnl, V);
            WriteAmount(w, "maintenanceRequirement"u8, p.MaintenanceRequirement, V);
            WriteAmount(w, "initialMarginFraction"u8, p.InitialMarginFraction, 6);
            WriteAmount(w, "liquidationPrice"u8, p.LiquidationPrice, Precision.PriceDecimals);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteAmount(w, "collateralValue"u8, h.CollateralValue, V);
        WriteAmount(w, "debtValue"u8, h.DebtValue, V);
        WriteAmount(w, "initialWeightedCollateral"u8, h.InitialCollateral, V);
        WriteAmount(w, "initialWeightedLiabilities"u8, h.InitialLiabilities, V);
        WriteAmount(w, "maintenanceWeightedCollateral"u8, h.MaintenanceCollateral, V);
        WriteAmount(w, "maintenanceWeightedLiabilities"u8, h.MaintenanceLiabilities, V);
        WriteAmount(w, "initialHealth"u8, h.InitialHealth, V);
        WriteAmount(w, "maintenanceHealth"u8, h.MaintenanceHealth, V);
        WriteAmount(w, "freeCollateral"u8, h.FreeCollateral, V);
        WriteAmount(w, "equity"u8, h.Equity, V);
        WriteAmount(w, "healthFactor"u8, h.HealthFactorWadCapped, 18);
        w.WriteBoolean("liquidatable"u8, h.IsLiquidatable);
        w.WriteEndObject();
    }

    /// <summary>Closes <c>subaccounts</c>, writes the prices and parameters in force and closes the report.</summary>
    public static void WriteEnd(Utf8JsonWriter w, Engine engine)
    {
        w.WriteEndArray();
        (List<AssetParameters> assets, List<MarketParameters> markets) = EvalReport.Parameters(engine);
        w.WriteStartArray("assets"u8);
        foreach (AssetParameters a in assets)
        {
            w.WriteStartObject();
            w.WriteString("asset"u8, a.Asset);
            w.WriteString("priceSource"u8, a.PriceSource);
            w.WriteString("feedStatus"u8, a.FeedStatus);
            WriteAmount(w, "price"u8, a.Price);
            WriteAmount(w, "stablePrice"u8, a.StablePrice);
            WriteAmount(w, "twap"u8, a.Twap);
            WriteAmount(w, "realizedVolatility"u8, a.RealizedVolatility);
            WriteAmount(w, "impliedVolatility"u8, a.ImpliedVolatility);
            WriteAmount(w, "initialAssetWeight"u8, a.InitialAssetWeight);
            WriteAmount(w, "maintenanceAssetWeight"u8, a.MaintenanceAssetWeight);
            WriteAmount(w, "initialLiabilityWeight"u8, a.InitialLiabilityWeight);
            WriteAmount(w, "maintenanceLiabilityWeight"u8, a.MaintenanceLiabilityWeight);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("markets"u8);
        foreach (MarketParameters m in markets)
        {
            w.WriteStartObject();
            w.WriteString("market"u8, m.Market);
            WriteAmount(w, "indexPrice"u8, m.IndexPrice);
            WriteAmount(w, "initialMarginFraction"u8, m.InitialMarginFraction);
            WriteAmount(w, "maintenanceMarginFraction"u8, m.MaintenanceMarginFraction);
            w.WriteBoolean("controlled"u8, m.Controlled);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAmount(Utf8JsonWriter w, ReadOnlySpan<byte> name, Int128? raw, int decimals)
    {
        if (raw is not { } x)
        {
            w.WriteNull(name);
            return;
        }

        Span<byte> buf = stackalloc byte[80];
        w.WriteStartObject(name);
        w.WriteString("value"u8, buf[..DecimalString.FormatUtf8(x, decimals, buf)]);
        x.TryFormat(buf, out int n, default, CultureInfo.InvariantCulture);
        w.WriteString("raw"u8, buf[..n]);
        w.WriteEndObject();
    }

    private static void WriteAmount(Utf8JsonWriter w, ReadOnlySpan<byte> name, Amount? amount)
    {
        if (amount is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("value"u8, amount.Value);
        w.WriteString("raw"u8, amount.Raw);
        w.WriteEndObject();
    }
}
