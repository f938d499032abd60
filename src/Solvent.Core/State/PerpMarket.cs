using Solvent.Core.Config;
using Solvent.Core.Perps;

namespace Solvent.Core.State;

/// <summary>
/// One perpetual market: the virtual AMM, funding index, open interest and the market's protocol
/// buckets. Quote amounts are in the settlement asset's quantums. The market's ledger always
/// satisfies, exactly: Σ position quotes + FeePool + Insurance + FundingSettled + SettledPnl = 0.
/// </summary>
public sealed class PerpMarket
{
    internal PerpMarket(PerpMarketConfig config, PerpRiskParams risk, int baseQd, long price, long genesisTime)
    {
        Config = config;
        Risk = risk;
        BaseQuantumDecimals = baseQd;
        BaseReserve = (ulong)config.AmmBaseReserve;
        QuoteReserve = (ulong)config.AmmBaseReserve;
        Peg = VirtualAmm.PegFor(price, baseQd);
        LastFundingTime = genesisTime;
    }

    /// <summary>Identity.</summary>
    public PerpMarketConfig Config { get; }

    /// <summary>Governable parameters.</summary>
    public PerpRiskParams Risk { get; internal set; }

    /// <summary>Quantum decimals of the base asset (sizes).</summary>
    public int BaseQuantumDecimals { get; }

    /// <summary>Virtual base reserve.</summary>
    public UInt128 BaseReserve { get; internal set; }

    /// <summary>Virtual quote reserve (peg-scaled).</summary>
    public UInt128 QuoteReserve { get; internal set; }

    /// <summary>Peg multiplier, quote quantums per base quantum × 1e12.</summary>
    public long Peg { get; internal set; }

    /// <summary>Cumulative funding, quote quantums × 1e9 per whole base unit (longs pay when it rises).</summary>
    public Int128 FundingIndex { get; internal set; }

    /// <summary>Time funding was last applied.</summary>
    public long LastFundingTime { get; internal set; }

    /// <summary>Σ premium samples since then (1e9).</summary>
    public Int128 PremiumSum { get; internal set; }

    /// <summary>Number of samples.</summary>
    public long PremiumSamples { get; internal set; }

    /// <summary>Rate applied at the last funding (1e9 per interval).</summary>
    public long LastFundingRate { get; internal set; }

    /// <summary>Σ positive position sizes, AMM included (base quantums).</summary>
    public long OpenInterest { get; internal set; }

    /// <summary>Taker fees kept by the market (pays AMM repeg and depth adjustments).</summary>
    public long FeePool { get; internal set; }

    /// <summary>The market's insurance fund (liquidation fees; pays negative equity).</summary>
    public long Insurance { get; internal set; }

    /// <summary>Σ rounded funding settled into positions (paid − received). Zero-sum funding leaves this ≥ 0 once all are settled.</summary>
    public long FundingSettled { get; internal set; }

    /// <summary>Σ PnL moved from position quotes into settlement-asset balances.</summary>
    public long SettledPnl { get; internal set; }

    /// <summary>Dense id of the AMM's account.</summary>
    public int AmmAccount { get; internal set; }

    /// <summary>Dense id of the backstop (insurance-owned) account.</summary>
    public int BackstopAccount { get; internal set; }

    /// <summary>Mark price of the AMM (USD × 1e8).</summary>
    public long MarkPrice => VirtualAmm.MarkPrice(BaseReserve, QuoteReserve, Peg, BaseQuantumDecimals);

    internal PerpMarketSnapshot Save() => new(BaseReserve, QuoteReserve, Peg, FundingIndex, LastFundingTime, PremiumSum, PremiumSamples, LastFundingRate, OpenInterest, FeePool, Insurance, FundingSettled, SettledPnl);

    internal void Restore(in PerpMarketSnapshot s)
    {
        (BaseReserve, QuoteReserve, Peg, FundingIndex, LastFundingTime, PremiumSum, PremiumSamples, LastFundingRate, OpenInterest, FeePool, Insurance, FundingSettled, SettledPnl) =
            (s.BaseReserve, s.QuoteReserve, s.Peg, s.FundingIndex, s.LastFundingTime, s.PremiumSum, s.PremiumSamples, s.LastFundingRate, s.OpenInterest, s.FeePool, s.Insurance, s.FundingSettled, s.SettledPnl);
    }

    internal void WriteCanonical(CanonicalWriter w)
    {
        w.WriteString(Config.Symbol);
        w.WriteU128(BaseReserve);
        w.WriteU128(QuoteReserve);
        w.WriteI64(Peg);
        w.WriteI128(FundingIndex);
        w.WriteI64(LastFundingTime);
        w.WriteI128(PremiumSum);
        w.WriteI64(PremiumSamples);
        w.WriteI64(LastFundingRate);
        w.WriteI64(OpenInterest);
        w.WriteI64(FeePool);
        w.WriteI64(Insurance);
        w.WriteI64(FundingSettled);
        w.WriteI64(SettledPnl);
        PerpRiskParams r = Risk;
        foreach (long v in (long[])[r.InitialMarginFraction, r.MaintenanceMarginFraction, r.OpenInterestLower, r.OpenInterestUpper, r.ImfFactor, r.OpenInterestCap, r.MaxFundingRate, r.InterestRate, r.LiquidationPenalty, r.ProtocolShare, r.TakerFee, r.PnlInitialWeight, r.PnlMaintenanceWeight, r.FillPriceBand])
        {
            w.WriteI64(v);
        }

        w.WriteBool(r.Paused);
        w.WriteI64(r.MinOrderSize);
    }
}

/// <summary>Mutable scalars of a market, for undo.</summary>
internal readonly record struct PerpMarketSnapshot(UInt128 BaseReserve, UInt128 QuoteReserve, long Peg, Int128 FundingIndex, long LastFundingTime, Int128 PremiumSum, long PremiumSamples, long LastFundingRate, long OpenInterest, long FeePool, long Insurance, long FundingSettled, long SettledPnl);
