using Solvent.Core.Events;
using Solvent.Core.State;

namespace Solvent.Node.Streaming;

/// <summary>Which subaccounts and market an engine event concerns, and whether it is part of the liquidation waterfall.</summary>
public static class EventTopics
{
    /// <summary>Liquidations, flags, backstop, auto-deleveraging and losses.</summary>
    public static bool IsLiquidation(EngineEvent e) =>
        e is Liquidated or PerpLiquidated or AccountFlagged or BackstopTakeover or AutoDeleveraged or BadDebtRealized or DustSeized or BadDebtWrittenOff or InsuranceCovered or LossSocialized;

    /// <summary>Subaccounts named by the event.</summary>
    public static IEnumerable<AccountKey> Accounts(EngineEvent e) => e switch
    {
        Deposited d => [d.Account],
        Withdrawn w => [w.Account],
        Transferred t => [t.From, t.To],
        SubaccountOpened o => [o.Account],
        Liquidated l => [l.Liquidator, l.Target],
        BadDebtRealized b => [b.Account],
        DustSeized ds => [ds.Account],
        BadDebtWrittenOff wo => [wo.Caller, wo.Target],
        Traded t => [t.Account],
        FundingSettled f => [f.Account],
        PnlSettled p => [p.Account],
        PerpLiquidated pl => [pl.Liquidator, pl.Target],
        AccountFlagged af => [af.Account],
        BackstopTakeover bt => [bt.Target],
        AutoDeleveraged ad => [ad.Account, ad.Target],
        WithdrawalRecorded wr => [wr.Account],
        BridgedDepositCredited bd => [bd.Account],
        ForcedWithdrawalProcessed fw => [fw.Account],

        // A book fill is one Traded per side (taker and maker), so both owners' topics see it.
        BookOrderPlaced bp => [bp.Account],
        BookOrderRemoved br => [br.Account],
        _ => [],
    };

    /// <summary>The perpetual market the event concerns, if any.</summary>
    public static int? Market(EngineEvent e) => e switch
    {
        Traded t => t.Market,
        FundingSettled f => f.Market,
        PnlSettled p => p.Market,
        PerpLiquidated pl => pl.Market,
        BackstopTakeover bt => bt.Market,
        AutoDeleveraged ad => ad.Market,
        AmmAdjusted aa => aa.Market,
        MarketInsuranceFunded mi => mi.Market,
        FeePoolToppedUp fp => fp.Market,
        BookOrderPlaced bp => bp.Market,
        BookOrderRemoved br => br.Market,
        _ => null,
    };
}
