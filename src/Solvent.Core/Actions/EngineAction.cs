using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Core.Actions;

/// <summary>
/// An action whose signature has already been verified: <see cref="Signer"/> is the recovered address.
/// Amounts are in the asset's quantums; prices USD × 1e8.
/// </summary>
public abstract record EngineAction(Address Signer);

/// <summary>Opens a subaccount in the given mode (accounts otherwise open as cross on first deposit).</summary>
public sealed record OpenSubaccount(Address Signer, AccountKey Account, MarginMode Mode) : EngineAction(Signer);

/// <summary>Brings tokens in: repays debt first, supplies the rest. Anyone may deposit to any subaccount.</summary>
public sealed record Deposit(Address Signer, AccountKey Account, int Asset, long Amount) : EngineAction(Signer);

/// <summary>Takes supplied tokens out; never takes the balance negative.</summary>
public sealed record Withdraw(Address Signer, AccountKey Account, int Asset, long Amount) : EngineAction(Signer);

/// <summary>Takes tokens out, taking the balance negative when needed (a withdraw that borrows).</summary>
public sealed record Borrow(Address Signer, AccountKey Account, int Asset, long Amount) : EngineAction(Signer);

/// <summary>Brings tokens in to pay down debt; must not exceed the debt.</summary>
public sealed record Repay(Address Signer, AccountKey Account, int Asset, long Amount) : EngineAction(Signer);

/// <summary>Moves a supplied balance between subaccounts (same or different owners).</summary>
public sealed record Transfer(Address Signer, AccountKey From, AccountKey To, int Asset, long Amount) : EngineAction(Signer);

/// <summary>Repays up to <see cref="RepayAmount"/> of <see cref="Target"/>'s debt from the liquidator's balance and seizes collateral with the penalty.</summary>
public sealed record Liquidate(Address Signer, AccountKey Liquidator, AccountKey Target, int DebtAsset, int CollateralAsset, long RepayAmount) : EngineAction(Signer);

/// <summary>Governance stand-in for the oracle network: sets one asset's price.</summary>
public sealed record SetOraclePrice(Address Signer, int Asset, long Price) : EngineAction(Signer);

/// <summary>Governance: replaces an asset's risk parameters (including pause and rate model).</summary>
public sealed record UpdateAssetRisk(Address Signer, int Asset, AssetRiskParams Risk) : EngineAction(Signer);

/// <summary>Governance: replaces the liquidation rules.</summary>
public sealed record UpdateLiquidationConfig(Address Signer, LiquidationConfig Config) : EngineAction(Signer);

/// <summary>Tokens paid straight into an asset's insurance fund (a venue seeding its backstop). Anyone may fund.</summary>
public sealed record FundInsurance(Address Signer, int Asset, long Amount) : EngineAction(Signer);

/// <summary>Market order against the market's fill source (the vAMM): signed size (+ buy, − sell) in base quantums, a worst acceptable average price (USD × 1e8, 0 = none), and reduce-only.</summary>
public sealed record PlaceOrder(Address Signer, AccountKey Account, int Market, long Size, long WorstPrice, bool ReduceOnly) : EngineAction(Signer);

/// <summary>
/// An order for the market's order book: side, limit (for market orders the worst) price in USD × 1e8 on the
/// market's tick, size in base quantums on its step, type, time in force (good-til-block rests through
/// <see cref="ExpiryBlock"/>), and reduce-only (immediate orders only).
/// </summary>
public sealed record PlaceBookOrder(
    Address Signer, AccountKey Account, int Market, bool Buy, long Price, long Size, Perps.Book.OrderType Type, Perps.Book.TimeInForce Tif, long ExpiryBlock, bool ReduceOnly) : EngineAction(Signer);

/// <summary>Cancels one resting order-book order of the subaccount.</summary>
public sealed record CancelOrder(Address Signer, AccountKey Account, int Market, long OrderId) : EngineAction(Signer);

/// <summary>Cancels every resting order-book order of the subaccount in the market.</summary>
public sealed record CancelAllOrders(Address Signer, AccountKey Account, int Market) : EngineAction(Signer);

/// <summary>Replaces a resting order's price (USD × 1e8) and unfilled size (base quantums); shrinking at the same price keeps its priority.</summary>
public sealed record ReplaceOrder(Address Signer, AccountKey Account, int Market, long OrderId, long Price, long Size) : EngineAction(Signer);

/// <summary>A keeper takes over up to <see cref="Size"/> (base quantums) of a liquidatable position at the index price, with the penalty in its favour.</summary>
public sealed record LiquidatePerp(Address Signer, AccountKey Liquidator, AccountKey Target, int Market, long Size) : EngineAction(Signer);

/// <summary>Records that an account is liquidatable, starting the backstop delay. Anyone may flag.</summary>
public sealed record FlagLiquidatable(Address Signer, AccountKey Target) : EngineAction(Signer);

/// <summary>The backstop takes a whole position: a bankrupt account's at the bankruptcy price (insurance fund, then auto-deleveraging), or a long-flagged one's at the index price.</summary>
public sealed record BackstopLiquidate(Address Signer, AccountKey Target, int Market) : EngineAction(Signer);

/// <summary>Governance: moves the AMM peg to a new price (USD × 1e8); the fee pool pays the cost.</summary>
public sealed record RepegAmm(Address Signer, int Market, long Price) : EngineAction(Signer);

/// <summary>Governance: moves <paramref name="Amount"/> quote quantums of a market's insurance fund into its fee pool, which pays AMM repegs and depth changes.</summary>
public sealed record TopUpFeePool(Address Signer, int Market, long Amount) : EngineAction(Signer);

/// <summary>Governance: rescales the AMM's virtual reserves (k) to a new base reserve, keeping its price; the fee pool pays the cost.</summary>
public sealed record AdjustAmmDepth(Address Signer, int Market, long BaseReserve) : EngineAction(Signer);

/// <summary>Governance: replaces a market's risk parameters.</summary>
public sealed record UpdateMarketRisk(Address Signer, int Market, PerpRiskParams Risk) : EngineAction(Signer);

/// <summary>Pays settlement-asset tokens from a subaccount into a perpetual market's insurance fund.</summary>
public sealed record FundMarketInsurance(Address Signer, AccountKey From, int Market, long Amount) : EngineAction(Signer);

/// <summary>A publisher's price for a feed (USD × 1e8), its confidence interval (USD × 1e8) and publish time (Unix s); the signature was verified before Core.</summary>
public sealed record PriceReport(Address Signer, int Feed, long Price, long Confidence, long PublishTime) : EngineAction(Signer);

/// <summary>A publisher's implied volatility for a feed (annualized, ppm) and publish time.</summary>
public sealed record VolatilityReport(Address Signer, int Feed, long Volatility, long PublishTime) : EngineAction(Signer);

/// <summary>Governance: lets a paused feed's next aggregate through unbounded.</summary>
public sealed record ResumeOracleFeed(Address Signer, int Feed) : EngineAction(Signer);

/// <summary>
/// Anyone writes off <see cref="Target"/>'s uncollectable debt (no liquidation can repay one unit of it): its
/// dust goes to insurance, its debt to the bad-debt waterfall, and <see cref="Caller"/> (owned by the
/// signer, another owner than the target's) receives the genesis write-off fee from the settlement asset's insurance fund.
/// </summary>
public sealed record WriteOffBadDebt(Address Signer, AccountKey Caller, AccountKey Target) : EngineAction(Signer);

/// <summary>Takes supplied tokens out to <see cref="Recipient"/> on vault chain <see cref="ChainId"/> (a withdrawal record the vault pays); never borrows.</summary>
public sealed record WithdrawTo(Address Signer, AccountKey Account, int Asset, long Amount, long ChainId, Address Recipient) : EngineAction(Signer);

/// <summary>Like <see cref="WithdrawTo"/>, taking the balance negative when needed (a borrow paid out on a vault chain).</summary>
public sealed record BorrowTo(Address Signer, AccountKey Account, int Asset, long Amount, long ChainId, Address Recipient) : EngineAction(Signer);

/// <summary>
/// An action the node sequences from a vault chain's events, not a user's signature: it is never decoded from
/// signed ingress, and its signer is the zero address.
/// </summary>
public abstract record SystemAction() : EngineAction(Address.Zero);

/// <summary>
/// A vault's <c>Deposited</c> event, credited once per (chain, deposit id) in deposit-id order. Carries the
/// log's position (transaction hash, log index) so anyone can check it against the chain. An amount Core
/// cannot credit is refunded as a withdrawal record to the owner on the same chain.
/// </summary>
public sealed record BridgedDeposit(long ChainId, byte[] TxHash, long LogIndex, ulong DepositId, Address Owner, uint Subaccount, Address Token, UInt128 Amount) : SystemAction;

/// <summary>
/// A vault's <c>ForcedWithdrawalRequested</c> event, processed once per (chain, request id) in order: the
/// withdrawal executes if the account can afford it (a record to the owner on that chain), else it is
/// processed with amount 0. Either way the chain's processed count advances.
/// </summary>
public sealed record ForcedWithdrawal(long ChainId, ulong RequestId, Address Owner, uint Subaccount, Address Token, UInt128 Amount) : SystemAction;
