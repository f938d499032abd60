namespace Solvent.Core.Config;

/// <summary>The fixed identity of a perpetual market. Sizes are in the base asset's quantums, prices USD × 1e8.</summary>
/// <param name="Id">Dense index in genesis order.</param>
/// <param name="Symbol">Ticker, e.g. "ETH-PERP".</param>
/// <param name="BaseAsset">Asset whose oracle price is this market's index price.</param>
/// <param name="TickSize">Smallest price increment of a worst-acceptable price (USD × 1e8).</param>
/// <param name="StepSize">Smallest size increment (base quantums); every order size is a multiple.</param>
/// <param name="AmmBaseReserve">Initial virtual base reserve of the AMM (base quantums): its depth.</param>
public sealed record PerpMarketConfig(int Id, string Symbol, int BaseAsset, long TickSize, long StepSize, long AmmBaseReserve)
{
    /// <summary>Largest genesis fee-pool seed of one market: 10⁹ units of the quote asset (quote quantums).</summary>
    public const long MaxFeePoolSeed = 1_000_000_000_000_000;

    /// <summary>
    /// Quote quantums the market's fee pool holds at genesis (genesis <c>feePool</c>, default 0): protocol-owned
    /// capital put in at genesis, booked like a fund of the market (cash in, negative settled PnL), so the
    /// market's and the quote asset's ledgers balance from the first block and repegs have a budget before fees accrue.
    /// </summary>
    public long FeePoolSeed { get; init; }

    /// <summary>Default of genesis <c>maxOpenOrders</c>.</summary>
    public const int DefaultMaxOpenOrders = 64;

    /// <summary>Largest genesis <c>maxOpenOrders</c>.</summary>
    public const int MaxOpenOrdersBound = 10_000;

    /// <summary>
    /// Fee (ppm of notional) the resting side of an order-book fill pays (genesis <c>makerFee</c>, default 0);
    /// negative is a rebate, bounded by the taker fee so a fill never pays out more than it takes in.
    /// </summary>
    public long MakerFee { get; init; }

    /// <summary>Resting order-book orders one subaccount may hold in this market (genesis <c>maxOpenOrders</c>).</summary>
    public int MaxOpenOrders { get; init; } = DefaultMaxOpenOrders;
}
