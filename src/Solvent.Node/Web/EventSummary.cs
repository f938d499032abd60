using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Math;

namespace Solvent.Node.Web;

/// <summary>One line a person can read for a liquidation, auto-deleveraging, trade or order-book event: symbols and amounts in units, not ids and quantums.</summary>
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
            Traded t => $"{Market(g, t.Market)}: {(t.Size >= 0 ? "bought" : "sold")} {Size(g, t.Market, System.Math.Abs(t.Size))} for {Units(g, quote, System.Math.Abs(t.Quote))} {Symbol(g, quote)}, fee {Units(g, quote, t.Fee)}, position now {Size(g, t.Market, t.NewSize)}",
            BookOrderPlaced p => $"{Market(g, p.Market)}: order {(p.OrderId > 0 ? "#" + p.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(nothing rests)")} filled {Size(g, p.Market, p.Filled)}, resting {Size(g, p.Market, p.Rested)}{(p.StoppedByMargin ? ", stopped by margin" : string.Empty)}",
            BookOrderRemoved r => $"{Market(g, r.Market)}: order #{r.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture)} removed ({Removal(r.Reason)})",
            _ => e.GetType().Name,
        };
    }

    private static string Removal(Solvent.Core.Perps.Book.RemovalReason r) => r switch
    {
        Solvent.Core.Perps.Book.RemovalReason.SelfTrade => "self-trade prevention",
        Solvent.Core.Perps.Book.RemovalReason.Margin => "could not be margined",
        Solvent.Core.Perps.Book.RemovalReason.Expired => "expired",
        _ => r.ToString(),
    };

    private static string Symbol(Genesis g, int asset) => asset >= 0 && asset < g.Assets.Count ? g.Assets[asset].Symbol : $"asset {asset}";

    private static string Units(Genesis g, int asset, long quantums) =>
        asset >= 0 && asset < g.Assets.Count ? DecimalString.Format(quantums, g.Assets[asset].QuantumDecimals) : quantums.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Market(Genesis g, int market) => market >= 0 && market < g.Markets.Count ? g.Markets[market].Symbol : $"market {market}";

    private static string Size(Genesis g, int market, long size) =>
        market >= 0 && market < g.Markets.Count ? Units(g, g.Markets[market].BaseAsset, size) : size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
