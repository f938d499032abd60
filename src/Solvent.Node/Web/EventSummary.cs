using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Math;

namespace Solvent.Node.Web;

/// <summary>One line a person can read for a liquidation or auto-deleveraging event: symbols and amounts in units, not ids and quantums.</summary>
public static class EventSummary
{
    /// <summary>The line for <paramref name="e"/>.</summary>
    public static string Of(Genesis g, EngineEvent e)
    {
        int quote = g.QuoteAsset;
        return e switch
        {
            Liquidated l => $"repaid {Units(g, l.DebtAsset, l.Repaid)} {Symbol(g, l.DebtAsset)}, seized {Units(g, l.CollateralAsset, l.Seized)} {Symbol(g, l.CollateralAsset)}",
            PerpLiquidated p => $"{Market(g, p.Market)}: size {Size(g, p.Market, p.Size)}, notional {Units(g, quote, p.Notional)} {Symbol(g, quote)}, penalty {Units(g, quote, p.Penalty)}",
            BackstopTakeover b => $"{Market(g, b.Market)}: size {Size(g, b.Market, b.Size)} taken over, insurance paid {Units(g, quote, b.InsurancePaid)} {Symbol(g, quote)}",
            AutoDeleveraged a => $"{Market(g, a.Market)}: size {Size(g, a.Market, a.Size)} closed against the bankrupt position, quote {Units(g, quote, a.Quote)} {Symbol(g, quote)}",
            _ => e.GetType().Name,
        };
    }

    private static string Symbol(Genesis g, int asset) => asset >= 0 && asset < g.Assets.Count ? g.Assets[asset].Symbol : $"asset {asset}";

    private static string Units(Genesis g, int asset, long quantums) =>
        asset >= 0 && asset < g.Assets.Count ? DecimalString.Format(quantums, g.Assets[asset].QuantumDecimals) : quantums.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Market(Genesis g, int market) => market >= 0 && market < g.Markets.Count ? g.Markets[market].Symbol : $"market {market}";

    private static string Size(Genesis g, int market, long size) =>
        market >= 0 && market < g.Markets.Count ? Units(g, g.Markets[market].BaseAsset, size) : size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
