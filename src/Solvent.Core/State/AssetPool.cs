using Solvent.Core.Config;
using Solvent.Core.Math;

namespace Solvent.Core.State;

/// <summary>
/// One asset's lending pool and books. Accounts hold scaled balances; the pool holds the indexes that
/// turn them into amounts, the aggregates, and every protocol-owned bucket. The books always satisfy,
/// exactly: Cash = SupplyClaims − DebtClaims + Treasury + Insurance + RoundingSurplus − BadDebt − PerpSettled.
/// </summary>
public sealed class AssetPool
{
    internal AssetPool(AssetConfig config, AssetRiskParams risk, long genesisTime)
    {
        Config = config;
        Risk = risk;
        Price = config.InitialPrice;
        SupplyIndex = Precision.Ray;
        BorrowIndex = Precision.Ray;
        LastAccrual = genesisTime;
        ValueDivisor = (long)Precision.Pow10(config.QuantumDecimals + Precision.PriceDecimals - Precision.ValueDecimals);
    }

    /// <summary>Identity and units.</summary>
    public AssetConfig Config { get; }

    /// <summary>Current governable parameters.</summary>
    public AssetRiskParams Risk
    {
        get => _risk;
        internal set
        {
            _risk = value;
            Version++;
        }
    }

    /// <summary>Oracle price, USD × 1e8 per whole unit. Setting it also resets the initial-health prices to it.</summary>
    public long Price
    {
        get => _price;
        internal set
        {
            _price = value;
            _initialAssetPrice = value;
            _initialLiabilityPrice = value;
            Version++;
        }
    }

    /// <summary>Price at which positive balances count for initial health: min(oracle, stable) on oracle-fed assets (Mango v4's stable price), else the oracle price.</summary>
    public long InitialAssetPrice => _initialAssetPrice;

    /// <summary>Price at which debts count for initial health: max(oracle, stable) on oracle-fed assets, else the oracle price.</summary>
    public long InitialLiabilityPrice => _initialLiabilityPrice;

    /// <summary>Sets the initial-health prices (after <see cref="Price"/>, which resets them).</summary>
    internal void SetInitialPrices(long assetPrice, long liabilityPrice)
    {
        _initialAssetPrice = assetPrice;
        _initialLiabilityPrice = liabilityPrice;
        Version++;
    }

    private long _initialAssetPrice;
    private long _initialLiabilityPrice;

    /// <summary>Bumped whenever price, an index or the risk parameters change: derived per-asset factors must be rebuilt.</summary>
    internal long Version { get; private set; }

    private RayIndex _supply = new(Precision.Ray);
    private AssetRiskParams _risk = null!;
    private long _price;
    private RayIndex _borrow = new(Precision.Ray);

    /// <summary>Ray index turning scaled supply into amounts (Aave's liquidity index).</summary>
    public UInt128 SupplyIndex
    {
        get => _supply.Value;
        internal set
        {
            _supply = new RayIndex(value);
            Version++;
        }
    }

    /// <summary>Ray index turning scaled debt into amounts (Aave's variable borrow index).</summary>
    public UInt128 BorrowIndex
    {
        get => _borrow.Value;
        internal set
        {
            _borrow = new RayIndex(value);
            Version++;
        }
    }

    /// <summary>Block time of the last accrual.</summary>
    public long LastAccrual { get; internal set; }

    /// <summary>Σ positive scaled balances.</summary>
    public long TotalScaledSupply { get; internal set; }

    /// <summary>Σ |negative scaled balances|.</summary>
    public long TotalScaledDebt { get; internal set; }

    /// <summary>Tokens held by the venue: deposits − withdrawals (including borrows).</summary>
    public long Cash { get; internal set; }

    /// <summary>Protocol reserves from the reserve factor.</summary>
    public long Treasury { get; internal set; }

    /// <summary>Insurance fund in this asset (liquidation fees; pays bad debt first).</summary>
    public long Insurance { get; internal set; }

    /// <summary>Realized bad debt not yet covered or socialized.</summary>
    public long BadDebt { get; internal set; }

    /// <summary>Σ perpetual PnL settled into balances of this (the settlement) asset: owed to it by the markets' ledgers.</summary>
    public long PerpSettled { get; internal set; }

    /// <summary>What per-operation rounding left to the protocol (a few quantums; may dip by one when aggregate floors meet).</summary>
    public long RoundingSurplus { get; internal set; }

    /// <summary>Per-year borrow rate used over the last accrual interval (ray).</summary>
    public UInt128 BorrowRate { get; internal set; }

    /// <summary>Per-year supply rate used over the last accrual interval (ray).</summary>
    public UInt128 SupplyRate { get; internal set; }

    /// <summary>10^(quantumDecimals + 8 − 6): amount·price / divisor = value in USD × 1e6.</summary>
    public long ValueDivisor { get; }

    /// <summary>Σ supplied amounts at the current index (rounded down).</summary>
    public long SupplyClaims => ScaledToSupply(TotalScaledSupply);

    /// <summary>Σ borrowed amounts at the current index (rounded up).</summary>
    public long DebtClaims => ScaledToDebt(TotalScaledDebt);

    /// <summary>Cash the pool may still lend or pay out: cash not owed to treasury or insurance.</summary>
    public long AvailableLiquidity => System.Math.Max(0, Cash - System.Math.Max(0, Treasury) - Insurance);

    /// <summary>Debt / supply as a ray, capped at 1.</summary>
    public UInt128 Utilization
    {
        get
        {
            long supply = SupplyClaims;
            long debt = DebtClaims;
            if (supply <= 0 || debt <= 0)
            {
                return 0;
            }

            return debt >= supply ? Precision.Ray : FullMath.MulDiv((UInt128)(ulong)debt, Precision.Ray, (ulong)supply, Rounding.Down);
        }
    }

    /// <summary>Supplied amount of a positive scaled balance, rounded down (the supplier's claim).</summary>
    public long ScaledToSupply(long scaled) =>
        checked((long)_supply.Apply((ulong)scaled, Rounding.Down));

    /// <summary>Debt amount of a positive scaled debt, rounded up (what the borrower owes).</summary>
    public long ScaledToDebt(long scaled) =>
        checked((long)_borrow.Apply((ulong)scaled, Rounding.Up));

    /// <summary>Scaled supply units for an amount (⌊ for credits, ⌈ for debits).</summary>
    public long SupplyToScaled(long amount, Rounding rounding) => checked((long)_supply.Scale((ulong)amount, rounding));

    /// <summary>Scaled debt units for an amount (⌈ when borrowing, ⌊ when repaying).</summary>
    public long DebtToScaled(long amount, Rounding rounding) => checked((long)_borrow.Scale((ulong)amount, rounding));

    /// <summary>Signed amount of a signed scaled balance.</summary>
    public long AmountOf(long scaled) => scaled >= 0 ? ScaledToSupply(scaled) : -ScaledToDebt(-scaled);

    /// <summary>Value of an amount in USD × 1e6 at the oracle price.</summary>
    public Int128 ValueOf(long amount, Rounding rounding) =>
        FullMath.Div((Int128)amount * Price, ValueDivisor, rounding);

    /// <summary>Value of an amount in USD × 1e6 at a given price (USD × 1e8).</summary>
    public Int128 ValueAt(long amount, long price, Rounding rounding) =>
        FullMath.Div((Int128)amount * price, ValueDivisor, rounding);

    /// <summary>Rates implied by the current utilization: (borrow, supply), per-year rays.</summary>
    public (UInt128 Borrow, UInt128 Supply) CurrentRates() => RatesAt(Utilization);

    /// <summary>
    /// The pool's rates at utilization <paramref name="u"/> (ray, 0..1e27): (borrow, supply), per-year rays. Supply
    /// earns borrow × utilization less the reserve factor, rounded down.
    /// </summary>
    public (UInt128 Borrow, UInt128 Supply) RatesAt(UInt128 u)
    {
        UInt128 borrow = Risk.RateModel.BorrowRate(u);
        UInt128 supply = FullMath.MulDiv(FullMath.MulDivRay(borrow, u, Rounding.Down), (ulong)(Precision.Ppm - Risk.ReserveFactor), (ulong)Precision.Ppm, Rounding.Down);
        return (borrow, supply);
    }

    /// <summary>Recomputes the rounding surplus so the books identity holds after an operation.</summary>
    internal void CloseBooks() =>
        RoundingSurplus = checked(Cash - SupplyClaims + DebtClaims - Treasury - Insurance + BadDebt + PerpSettled);

    internal void WriteCanonical(CanonicalWriter w)
    {
        w.WriteString(Config.Symbol);
        w.WriteI64(Price);
        w.WriteU128(SupplyIndex);
        w.WriteU128(BorrowIndex);
        w.WriteI64(LastAccrual);
        w.WriteI64(TotalScaledSupply);
        w.WriteI64(TotalScaledDebt);
        w.WriteI64(Cash);
        w.WriteI64(Treasury);
        w.WriteI64(Insurance);
        w.WriteI64(BadDebt);
        w.WriteI64(RoundingSurplus);
        w.WriteI64(PerpSettled);
        w.WriteU128(BorrowRate);
        w.WriteU128(SupplyRate);
        AssetRiskParams r = Risk;
        w.WriteI64(r.InitialAssetWeight);
        w.WriteI64(r.MaintenanceAssetWeight);
        w.WriteI64(r.InitialLiabilityWeight);
        w.WriteI64(r.MaintenanceLiabilityWeight);
        w.WriteI64(r.LiquidationPenalty);
        w.WriteI64(r.ProtocolShare);
        w.WriteI64(r.SupplyCap);
        w.WriteI64(r.BorrowCap);
        w.WriteBool(r.Borrowable);
        w.WriteBool(r.Collateral);
        w.WriteBool(r.Paused);
        w.WriteI64(r.ReserveFactor);
        r.RateModel.WriteCanonical(w);
        w.WriteI64(r.MinBorrow);
    }
}
