using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Math;

namespace Solvent.Node.Web;

/// <summary>One line a person can read for an event (liquidations, auto-deleveraging, trades, order-book events and an account's own events): symbols and amounts in units, not ids and quantums.</summary>
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
            Deposited d => $"deposited {Units(g, d.Asset, d.Amount)} {Symbol(g, d.Asset)}" + (d.Repaid > 0 ? $", of which {Units(g, d.Asset, d.Repaid)} repaid debt" : ""),
            Withdrawn w => $"withdrew {Units(g, w.Asset, w.Amount)} {Symbol(g, w.Asset)}" + (w.Borrowed > 0 ? $", of which {Units(g, w.Asset, w.Borrowed)} borrowed" : ""),
            Transferred t => $"transferred {Units(g, t.Asset, t.Amount)} {Symbol(g, t.Asset)} from {t.From} to {t.To}",
            SubaccountOpened o => $"subaccount opened ({o.Mode.ToString().ToLowerInvariant()} margin)",
            FundingSettled f => $"{Market(g, f.Market)}: funding {Units(g, quote, f.Amount)} {Symbol(g, quote)}",
            PnlSettled p => $"{Market(g, p.Market)}: PnL settled {Units(g, quote, p.Amount)} {Symbol(g, quote)}",
            BadDebtRealized b => $"bad debt realized {Units(g, b.Asset, b.Amount)} {Symbol(g, b.Asset)}",
            DustSeized ds => $"dust seized {Units(g, ds.Asset, ds.Amount)} {Symbol(g, ds.Asset)}",
            BadDebtWrittenOff wo => $"bad debt of {wo.Target} written off, fee {Units(g, quote, wo.Fee)} {Symbol(g, quote)}",
            AccountFlagged af => $"flagged below maintenance at block {af.Height}",
            WithdrawalRecorded wr => $"withdrawal {wr.Record.Id} recorded: {wr.Record.Amount} token base units of {Symbol(g, wr.Asset)} to {wr.Record.Recipient} on chain {wr.Record.ChainId}",
            BridgedDepositCredited bd => $"bridged deposit {bd.DepositId} on chain {bd.ChainId}: {Units(g, bd.Asset, bd.Amount)} {Symbol(g, bd.Asset)}",
            ForcedWithdrawalProcessed fw => $"forced withdrawal {fw.RequestId} on chain {fw.ChainId}: {fw.Reason}",
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
