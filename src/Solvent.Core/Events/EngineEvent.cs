using Solvent.Core.State;

namespace Solvent.Core.Events;

/// <summary>Something that happened to state, with amounts (quantums) and the accounts touched.</summary>
public abstract record EngineEvent;

/// <summary>Tokens entered an account (repaying <paramref name="Repaid"/>, supplying the rest).</summary>
public sealed record Deposited(AccountKey Account, int Asset, long Amount, long Repaid) : EngineEvent;

/// <summary>Tokens left an account, <paramref name="Borrowed"/> of them borrowed.</summary>
public sealed record Withdrawn(AccountKey Account, int Asset, long Amount, long Borrowed) : EngineEvent;

/// <summary>A balance moved between subaccounts.</summary>
public sealed record Transferred(AccountKey From, AccountKey To, int Asset, long Amount) : EngineEvent;

/// <summary>A subaccount was opened.</summary>
public sealed record SubaccountOpened(AccountKey Account, MarginMode Mode) : EngineEvent;

/// <summary>A keeper repaid debt and seized collateral.</summary>
public sealed record Liquidated(AccountKey Liquidator, AccountKey Target, int DebtAsset, long Repaid, int CollateralAsset, long Seized, long ToLiquidator, long ToInsurance) : EngineEvent
{
    /// <summary>
    /// The liquidation bonus inside <see cref="Seized"/>, in collateral quantums: the seizure above the repaid
    /// debt's value at the oracle price (split between <see cref="ToLiquidator"/> and <see cref="ToInsurance"/>).
    /// </summary>
    public long Penalty { get; init; }
}

/// <summary>Debt left with no collateral behind it was written off the account.</summary>
public sealed record BadDebtRealized(AccountKey Account, int Asset, long Amount) : EngineEvent;

/// <summary>A write-off moved an account's remaining positive balance (dust) into the asset's insurance fund.</summary>
public sealed record DustSeized(AccountKey Account, int Asset, long Amount) : EngineEvent;

/// <summary><paramref name="Target"/>'s uncollectable debt was written off; <paramref name="Caller"/> received <paramref name="Fee"/> settlement-asset quantums from insurance (the end-of-block write-off names the target as caller and pays nothing).</summary>
public sealed record BadDebtWrittenOff(AccountKey Caller, AccountKey Target, long Fee) : EngineEvent;

/// <summary>The asset's insurance fund paid bad debt.</summary>
public sealed record InsuranceCovered(int Asset, long Amount, long InsuranceLeft) : EngineEvent;

/// <summary>Bad debt the fund could not pay was spread over suppliers by lowering the supply index.</summary>
public sealed record LossSocialized(int Asset, long Amount, UInt128 OldSupplyIndex, UInt128 NewSupplyIndex) : EngineEvent;

/// <summary>An oracle price changed.</summary>
public sealed record PriceUpdated(int Asset, long OldPrice, long NewPrice) : EngineEvent;

/// <summary>Governance changed a parameter set.</summary>
public sealed record ParametersUpdated(string What, int Asset) : EngineEvent;

/// <summary>The insurance fund of an asset received tokens from outside.</summary>
public sealed record InsuranceFunded(int Asset, long Amount, long InsuranceAfter) : EngineEvent;

/// <summary>A market order filled: signed size, quote paid (+) or received (−), fee, and the resulting position.</summary>
public sealed record Traded(AccountKey Account, int Market, long Size, long Quote, long Fee, long NewSize) : EngineEvent;

/// <summary>Funding settled into a position (positive = paid).</summary>
public sealed record FundingSettled(AccountKey Account, int Market, long Amount) : EngineEvent;

/// <summary>A closed position's PnL moved into the settlement-asset balance.</summary>
public sealed record PnlSettled(AccountKey Account, int Market, long Amount) : EngineEvent;

/// <summary>A keeper took over part of a position.</summary>
public sealed record PerpLiquidated(AccountKey Liquidator, AccountKey Target, int Market, long Size, long Notional, long Penalty, long ToInsurance) : EngineEvent;

/// <summary>An account was flagged liquidatable at a height.</summary>
public sealed record AccountFlagged(AccountKey Account, long Height) : EngineEvent;

/// <summary>The backstop took (part of) a position; the insurance fund paid <paramref name="InsurancePaid"/> of the shortfall.</summary>
public sealed record BackstopTakeover(AccountKey Target, int Market, long Size, long Quote, long Shortfall, long InsurancePaid) : EngineEvent;

/// <summary>An opposite position was reduced at the bankruptcy price to cover what the fund could not.</summary>
public sealed record AutoDeleveraged(AccountKey Account, AccountKey Target, int Market, long Size, long Quote) : EngineEvent;

/// <summary>The AMM was repegged or resized; the fee pool paid <paramref name="Cost"/> (negative = received).</summary>
public sealed record AmmAdjusted(int Market, long Peg, UInt128 BaseReserve, long Cost) : EngineEvent;

/// <summary>Governance moved <paramref name="Amount"/> from a market's insurance fund into its fee pool.</summary>
public sealed record FeePoolToppedUp(int Market, long Amount, long FeePoolAfter, long InsuranceAfter) : EngineEvent;

/// <summary>A market's insurance fund received tokens.</summary>
public sealed record MarketInsuranceFunded(int Market, long Amount, long InsuranceAfter) : EngineEvent;

/// <summary>A feed's aggregate moved beyond the per-update bound and was clamped; the feed is flagged.</summary>
public sealed record OraclePriceClamped(int Asset, long Aggregate, long Applied) : EngineEvent;

/// <summary>A feed's aggregate moved beyond the bound and the feed paused at <paramref name="Price"/>.</summary>
public sealed record OracleFeedPaused(int Asset, long Price, long Aggregate) : EngineEvent;

/// <summary>Governance resumed a paused feed.</summary>
public sealed record OracleFeedResumed(int Asset) : EngineEvent;

/// <summary>A feed had new reports but fewer fresh publishers than it needs (<c>Quorum</c>: the larger of its quorum and 2f + 1): no aggregate.</summary>
public sealed record OracleQuorumMissing(int Asset, int Fresh, int Quorum) : EngineEvent;

/// <summary>A feed's implied-volatility aggregate changed (annualized, ppm).</summary>
public sealed record ImpliedVolatilityUpdated(int Asset, long Volatility) : EngineEvent;

/// <summary>
/// The risk controller moved a parameter: <paramref name="Kind"/> "asset" or "market", the field, old and
/// new values (ppm) and the volatility (annualized, ppm) that drove it.
/// </summary>
public sealed record RiskParameterAdjusted(string Kind, int Id, string Field, long Old, long New, long Volatility) : EngineEvent;

/// <summary>A withdrawal record was appended to the withdrawal tree (the vault on its chain pays it once the root is accepted).</summary>
public sealed record WithdrawalRecorded(Settlement.WithdrawalRecord Record, AccountKey Account, int Asset) : EngineEvent;

/// <summary>A vault deposit was credited to a subaccount.</summary>
public sealed record BridgedDepositCredited(long ChainId, ulong DepositId, AccountKey Account, int Asset, long Amount) : EngineEvent;

/// <summary>A vault deposit could not be credited (<paramref name="Reason"/>); it is refunded by withdrawal record <paramref name="RefundId"/>, or, when even that is impossible (-1), stays in the vault outside custody.</summary>
public sealed record BridgedDepositRefunded(long ChainId, ulong DepositId, Address Owner, string Reason, long RefundId) : EngineEvent;

/// <summary>A forced-withdrawal request was processed: <paramref name="Amount"/> 0 when the account could not afford it (<paramref name="Reason"/>).</summary>
public sealed record ForcedWithdrawalProcessed(long ChainId, ulong RequestId, AccountKey Account, long Amount, string Reason) : EngineEvent;

/// <summary>The order book removed a resting order its owner did not cancel: self-trade prevention, a maker that could not be margined, or expiry.</summary>
public sealed record BookOrderRemoved(AccountKey Account, int Market, long OrderId, Perps.Book.RemovalReason Reason) : EngineEvent;

/// <summary>An order-book order was accepted: its id (0 when nothing rests), base quantums filled and resting, and whether the taker's margin stopped it.</summary>
public sealed record BookOrderPlaced(AccountKey Account, int Market, long OrderId, long Filled, long Rested, bool StoppedByMargin) : EngineEvent;
