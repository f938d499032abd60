namespace Solvent.Core.Actions;

/// <summary>
/// Why an action was rejected. The numeric values and names are stable API: clients, logs and
/// conformance tests key on them. Append only.
/// </summary>
public enum ErrorCode
{
    /// <summary>Accepted.</summary>
    Ok = 0,

    /// <summary>The asset id or symbol is not in genesis.</summary>
    UnknownAsset = 1,

    /// <summary>Amount is zero or negative.</summary>
    InvalidAmount = 2,

    /// <summary>An intermediate exceeded its integer range; the action is refused rather than wrapped.</summary>
    Overflow = 3,

    /// <summary>The signer does not control the account or is not governance.</summary>
    Unauthorized = 4,

    /// <summary>The subaccount does not exist.</summary>
    UnknownAccount = 5,

    /// <summary>The account's balance of the asset is too small (withdraw, transfer, liquidator funds).</summary>
    InsufficientBalance = 6,

    /// <summary>The pool does not hold enough unreserved cash.</summary>
    InsufficientLiquidity = 7,

    /// <summary>The action would leave the account with initial health below zero.</summary>
    InitialHealthViolated = 8,

    /// <summary>The asset is not borrowable.</summary>
    NotBorrowable = 9,

    /// <summary>The asset is paused for risk-increasing actions.</summary>
    AssetPaused = 10,

    /// <summary>Total supply would exceed the asset's supply cap.</summary>
    SupplyCapExceeded = 11,

    /// <summary>Total borrows would exceed the asset's borrow cap.</summary>
    BorrowCapExceeded = 12,

    /// <summary>Repay amount exceeds the debt.</summary>
    RepayExceedsDebt = 13,

    /// <summary>The account owes nothing in this asset.</summary>
    NoDebt = 14,

    /// <summary>The liquidation target's maintenance health is not below zero.</summary>
    NotLiquidatable = 15,

    /// <summary>Liquidator and target belong to the same owner.</summary>
    SelfLiquidation = 16,

    /// <summary>The target holds none of the requested collateral.</summary>
    NoCollateral = 17,

    /// <summary>The liquidation would leave a debt smaller than the dust threshold; clear it fully.</summary>
    LiquidationLeavesDust = 18,

    /// <summary>An isolated subaccount may carry only one borrowed asset.</summary>
    IsolatedExposureLimit = 19,

    /// <summary>The subaccount already exists (open) or is not empty (mode change).</summary>
    AccountExists = 20,

    /// <summary>A governance parameter is out of range.</summary>
    InvalidParameter = 21,

    /// <summary>A price is missing or not positive.</summary>
    InvalidPrice = 22,

    /// <summary>Source and destination are the same subaccount.</summary>
    SameAccount = 23,

    /// <summary>After the liquidation the liquidator would be below initial health.</summary>
    LiquidatorUnhealthy = 24,

    /// <summary>Block header does not follow the chain (height, time, previous root).</summary>
    InvalidBlock = 25,

    /// <summary>Withdraw would take the balance negative; use Borrow.</summary>
    WouldBorrow = 26,

    /// <summary>The market id is not in genesis.</summary>
    UnknownMarket = 27,

    /// <summary>Order size is not a multiple of the market's step size.</summary>
    SizeNotMultipleOfStep = 28,

    /// <summary>The fill's average price is worse than the order's worst acceptable price.</summary>
    WorstPriceExceeded = 29,

    /// <summary>The market is paused: only trades that reduce a position are accepted.</summary>
    MarketPaused = 30,

    /// <summary>A reduce-only order would open or increase a position.</summary>
    ReduceOnlyViolation = 31,

    /// <summary>The trade would take open interest above the market's cap.</summary>
    OpenInterestCapExceeded = 32,

    /// <summary>The AMM's virtual reserves cannot fill that size.</summary>
    InsufficientAmmLiquidity = 33,

    /// <summary>The account has no position in the market.</summary>
    NoPosition = 34,

    /// <summary>The account's equity is negative: only the backstop may take it.</summary>
    AccountBankrupt = 35,

    /// <summary>The backstop may act only on bankrupt accounts or after the flag delay.</summary>
    BackstopNotYet = 36,

    /// <summary>The fee pool cannot pay for this AMM adjustment.</summary>
    AdjustmentTooExpensive = 37,

    /// <summary>Protocol accounts (AMM, backstop) cannot be used this way.</summary>
    ProtocolAccount = 38,

    /// <summary>The asset has no oracle feed (it is priced by governance).</summary>
    UnknownFeed = 39,

    /// <summary>The report's signer is not one of the feed's publishers.</summary>
    UnknownPublisher = 40,

    /// <summary>The report's publish time is after the block time.</summary>
    ReportFromFuture = 41,

    /// <summary>The report is not newer than the publisher's last accepted report.</summary>
    ReportOutOfOrder = 42,

    /// <summary>The report is older than the feed's maximum age.</summary>
    ReportStale = 43,

    /// <summary>The report's confidence interval is wider than the feed allows.</summary>
    ConfidenceTooWide = 44,

    /// <summary>A feed the action depends on is stale, flagged or paused: risk-increasing actions wait.</summary>
    OracleUnavailable = 45,

    /// <summary>With a feed unavailable, the account must stay healthy across the feed's price band.</summary>
    ConservativeHealthViolated = 46,

    /// <summary>The asset is priced by its publishers; governance cannot set its price.</summary>
    FeedManagedByOracle = 47,

    /// <summary>The fill's average price is further from the index (oracle) price than the market's fill price band allows.</summary>
    FillOutsidePriceBand = 48,

    /// <summary>A reducing order would take the account's equity below min(0, its equity before the order).</summary>
    OrderWouldBankrupt = 49,

    /// <summary>The write-off target still has collateral a liquidation can seize for one unit of each debt, a perpetual position, or no debt.</summary>
    NotWriteOffEligible = 56,

    /// <summary>The order, position or borrow would be (or be left) below the market's or asset's minimum size.</summary>
    BelowMinimumSize = 57,

    /// <summary>Custody is bridged: tokens enter only through a vault deposit sequenced by the bridge, never a signed deposit, repay or fund.</summary>
    DepositNotBridged = 58,

    /// <summary>That vault deposit (chain, deposit id) was already credited.</summary>
    DepositAlreadyCredited = 59,

    /// <summary>Vault deposits are credited in deposit-id order; an earlier one is missing.</summary>
    DepositOutOfOrder = 60,

    /// <summary>The destination chain's vault does not hold enough of the token for this withdrawal.</summary>
    ChainLiquidity = 61,

    /// <summary>The chain id is not a vault chain of this venue.</summary>
    UnknownChain = 62,

    /// <summary>The vault on that chain does not hold this asset.</summary>
    AssetNotOnChain = 63,

    /// <summary>With settlement on, tokens leave only to a named chain and recipient (WithdrawTo, BorrowTo).</summary>
    DestinationRequired = 64,

    /// <summary>The venue has no settlement section: there is no vault chain to withdraw to.</summary>
    SettlementOff = 65,

    /// <summary>That forced-withdrawal request was already processed.</summary>
    ForcedRequestProcessed = 66,

    /// <summary>Forced-withdrawal requests are processed in request-id order; an earlier one is missing.</summary>
    ForcedRequestOutOfOrder = 67,

    /// <summary>The withdrawal tree is full (2^32 − 1 records).</summary>
    WithdrawalTreeFull = 68,

    /// <summary>A post-only order would cross the book.</summary>
    CrossedPostOnly = 69,

    /// <summary>No resting order has that id in this market (never placed, filled, cancelled or expired).</summary>
    UnknownOrder = 70,

    /// <summary>The order belongs to another subaccount.</summary>
    NotOrderOwner = 71,

    /// <summary>The subaccount already holds the market's maximum number of resting orders.</summary>
    OpenOrderLimit = 72,

    /// <summary>A fill-or-kill order could not be filled whole.</summary>
    FillOrKillUnfilled = 73,

    /// <summary>That type, time in force, expiry and reduce-only do not go together.</summary>
    InvalidTimeInForce = 74,

    /// <summary>The market's order book is full.</summary>
    OrderBookFull = 75,
}
