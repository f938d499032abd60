using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Oracle;

/// <summary>
/// State of one publisher-fed price: the latest report per publisher, the aggregate's time and status,
/// and the derived series the risk layer reads — time-weighted average, EWMA volatility, stable price
/// and implied volatility. Mutated only by the engine; every field is in the state root.
/// </summary>
public sealed class OracleFeed
{
    private const int Checkpoints = 13;
    private const long Hour = 3600;

    private readonly long[] _checkTime = new long[Checkpoints];
    private readonly Int128[] _checkCum = new Int128[Checkpoints];
    private int _checkHead;
    private int _checkCount;

    internal OracleFeed(OracleFeedConfig config, long price, long time)
    {
        Config = config;
        int n = config.Publishers.Count;
        ReportPrice = new long[n];
        ReportConfidence = new long[n];
        ReportTime = new long[n];
        VolatilityReport = new long[n];
        VolatilityReportTime = new long[n];
        AggregateTime = time;
        LastPrice = price;
        CumulativeTime = time;
        StablePrice = price;
        StableTime = time;
        SamplePrice = price;
        SampleTime = time;

        // (σ_ppm / 1e6)² per year → wad per sampling interval: σ_ppm² · 1e6 / intervals-per-year.
        Variance = (UInt128)(ulong)config.InitialVolatility * (ulong)config.InitialVolatility * (ulong)Precision.Ppm / (ulong)PeriodsPerYear;
        PushCheckpoint(time);
    }

    /// <summary>Publishers, quorum and guards.</summary>
    public OracleFeedConfig Config { get; }

    /// <summary>Latest reported price per publisher slot (USD × 1e8).</summary>
    public long[] ReportPrice { get; }

    /// <summary>Latest reported confidence per publisher slot (USD × 1e8).</summary>
    public long[] ReportConfidence { get; }

    /// <summary>Publish time of the latest accepted price report per slot (0 = none yet).</summary>
    public long[] ReportTime { get; }

    /// <summary>Latest reported implied volatility per slot (annualized, ppm).</summary>
    public long[] VolatilityReport { get; }

    /// <summary>Publish time of the latest implied-volatility report per slot (0 = none yet).</summary>
    public long[] VolatilityReportTime { get; }

    /// <summary>Set by a price report, cleared by the block's aggregation (always false between blocks).</summary>
    internal bool PricePending { get; set; }

    /// <summary>Set by a volatility report, cleared by the block's aggregation.</summary>
    internal bool VolatilityPending { get; set; }

    /// <summary>Publish time the last aggregate vouches for: the quorum-th newest report it used.</summary>
    public long AggregateTime { get; internal set; }

    /// <summary>Median confidence of the last aggregate (USD × 1e8).</summary>
    public long Confidence { get; internal set; }

    /// <summary>Clamp/pause state.</summary>
    public FeedStatus Status { get; internal set; }

    /// <summary>The accepted price the cumulative sum is running at (equals the pool's price).</summary>
    public long LastPrice { get; private set; }

    /// <summary>Σ price × seconds since genesis (for the TWAP).</summary>
    public Int128 Cumulative { get; private set; }

    /// <summary>Time <see cref="Cumulative"/> was last brought up to.</summary>
    public long CumulativeTime { get; private set; }

    /// <summary>Block time of the last accepted aggregate (the cumulative sum switches price exactly then).</summary>
    public long PriceTime => CumulativeTime;

    /// <summary>EWMA of squared log-returns, wad per sampling interval.</summary>
    public UInt128 Variance { get; private set; }

    /// <summary>Price at the last volatility sample.</summary>
    public long SamplePrice { get; private set; }

    /// <summary>Time of the last volatility sample.</summary>
    public long SampleTime { get; private set; }

    /// <summary>Price that bounds how fast collateral gains borrowing power (Mango v4's stable price).</summary>
    public long StablePrice { get; private set; }

    /// <summary>Time of the last stable-price step.</summary>
    public long StableTime { get; private set; }

    /// <summary>Median implied volatility of the last aggregate (annualized, ppm; 0 = none).</summary>
    public long ImpliedVolatility { get; internal set; }

    /// <summary>Publish time the implied-volatility aggregate vouches for.</summary>
    public long ImpliedVolatilityTime { get; internal set; }

    /// <summary>Sampling intervals per year.</summary>
    public long PeriodsPerYear => Precision.SecondsPerYear / Config.VolatilityInterval;

    /// <summary>Whether the aggregate is older than the feed's maximum age at <paramref name="now"/>.</summary>
    public bool IsStale(long now) => now - AggregateTime > Config.MaxAge;

    /// <summary>Whether risk-increasing actions may rely on the feed at <paramref name="now"/>.</summary>
    public bool IsHealthy(long now) => Status == FeedStatus.Ok && !IsStale(now);

    /// <summary>Annualized realized volatility from the EWMA, ppm, rounded up.</summary>
    public long RealizedVolatility
    {
        get
        {
            // σ_ppm = √(v_wad · periods / 1e6); rounded up so the controller never under-reads risk.
            UInt128 x = Variance * (ulong)PeriodsPerYear;
            UInt128 n = (x + (ulong)Precision.Ppm - 1) / (ulong)Precision.Ppm;
            UInt128 s = IntSqrt.Floor(n);
            if (s * s < n)
            {
                s++;
            }

            return s > long.MaxValue ? long.MaxValue : (long)s;
        }
    }

    /// <summary>Slot of a publisher, or -1.</summary>
    public int SlotOf(Address publisher)
    {
        for (int i = 0; i < Config.Publishers.Count; i++)
        {
            if (Config.Publishers[i] == publisher)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Time-weighted average price over about the configured window ending at <paramref name="now"/>
    /// (from the newest checkpoint at least a window old, else the oldest), rounded down.
    /// </summary>
    public long Twap(long now)
    {
        Int128 cumNow = Cumulative + ((Int128)LastPrice * (now - CumulativeTime));
        int pick = -1;
        for (int k = 0; k < _checkCount; k++)
        {
            int i = (_checkHead - 1 - k + (2 * Checkpoints)) % Checkpoints;
            pick = i;
            if (_checkTime[i] <= now - Config.TwapWindow)
            {
                break;
            }
        }

        long span = pick < 0 ? 0 : now - _checkTime[pick];
        return span <= 0 ? LastPrice : (long)((cumNow - _checkCum[pick]) / span);
    }

    /// <summary>Brings the cumulative sum to <paramref name="now"/> and switches to <paramref name="price"/> from then on.</summary>
    internal void Accumulate(long now, long price)
    {
        Cumulative += (Int128)LastPrice * (now - CumulativeTime);
        CumulativeTime = now;
        LastPrice = price;
        int last = (_checkHead - 1 + Checkpoints) % Checkpoints;
        if (now - _checkTime[last] >= System.Math.Max(1, Config.TwapWindow / (Checkpoints - 1)))
        {
            PushCheckpoint(now);
        }
    }

    /// <summary>
    /// Adds a squared log-return to the EWMA once a sampling interval has passed: the return since the last
    /// sample, normalized to one interval, weighted by alpha; rounded up (never under-reads volatility).
    /// </summary>
    internal void SampleVolatility(long now, long price)
    {
        long elapsed = now - SampleTime;
        if (elapsed < Config.VolatilityInterval)
        {
            return;
        }

        // Ratios beyond 1,000× are treated as 1,000× (ln 1000 ≈ 6.9): keeps r² in range; such a sample saturates anyway.
        long hi = System.Math.Max(price, SamplePrice), lo = System.Math.Min(price, SamplePrice);
        long r = hi / 1000 >= lo ? LogMath.AbsLnRatio(1000, 1) : LogMath.AbsLnRatio(hi, lo);
        UInt128 r2 = ((UInt128)(ulong)r * (ulong)r + (ulong)Precision.Wad - 1) / (ulong)Precision.Wad;
        UInt128 sample = ((r2 * (ulong)Config.VolatilityInterval) + (ulong)elapsed - 1) / (ulong)elapsed;
        ulong a = (ulong)Config.EwmaAlpha;
        Variance = ((Variance * ((ulong)Precision.Ppm - a)) + (sample * a) + (ulong)Precision.Ppm - 1) / (ulong)Precision.Ppm;
        SamplePrice = price;
        SampleTime = now;
    }

    /// <summary>Moves the stable price toward <paramref name="price"/> by at most the configured growth per hour (floor).</summary>
    internal void StepStable(long now, long price)
    {
        long dt = now - StableTime;
        StableTime = now;
        // After a long gap the allowed step can exceed any price: it saturates instead of overflowing at the end of a block.
        Int128 step = FullMath.Div((Int128)StablePrice * Config.StableGrowthPerHour * dt, (Int128)Hour * Precision.Ppm, Rounding.Down);
        long max = step >= long.MaxValue - StablePrice ? long.MaxValue - StablePrice : (long)step;
        StablePrice = System.Math.Clamp(price, StablePrice - System.Math.Min(max, StablePrice - 1), StablePrice + max);
    }

    /// <summary>Restarts every derived series at <paramref name="price"/> (offline import of a price).</summary>
    internal void Reset(long now, long price)
    {
        Accumulate(now, price);
        StablePrice = price;
        StableTime = now;
        SamplePrice = price;
        SampleTime = now;
        AggregateTime = now;
        Status = FeedStatus.Ok;
    }

    internal void WriteCanonical(CanonicalWriter w)
    {
        w.WriteI64(Config.Asset);
        for (int i = 0; i < ReportPrice.Length; i++)
        {
            w.WriteI64(ReportPrice[i]);
            w.WriteI64(ReportConfidence[i]);
            w.WriteI64(ReportTime[i]);
            w.WriteI64(VolatilityReport[i]);
            w.WriteI64(VolatilityReportTime[i]);
        }

        w.WriteI64(AggregateTime);
        w.WriteI64(Confidence);
        w.WriteByte((byte)Status);
        w.WriteI64(LastPrice);
        w.WriteI128(Cumulative);
        w.WriteI64(CumulativeTime);
        w.WriteI64(_checkHead);
        w.WriteI64(_checkCount);
        for (int i = 0; i < Checkpoints; i++)
        {
            w.WriteI64(_checkTime[i]);
            w.WriteI128(_checkCum[i]);
        }

        w.WriteU128(Variance);
        w.WriteI64(SamplePrice);
        w.WriteI64(SampleTime);
        w.WriteI64(StablePrice);
        w.WriteI64(StableTime);
        w.WriteI64(ImpliedVolatility);
        w.WriteI64(ImpliedVolatilityTime);
    }

    /// <summary>Reads back what <see cref="WriteCanonical"/> wrote (snapshot restore).</summary>
    internal void ReadCanonical(ref CanonicalReader r)
    {
        if (r.ReadI64() != Config.Asset)
        {
            throw new InvalidSnapshotException($"oracle feed of asset {Config.Asset} is out of order in the snapshot");
        }

        for (int i = 0; i < ReportPrice.Length; i++)
        {
            ReportPrice[i] = r.ReadI64();
            ReportConfidence[i] = r.ReadI64();
            ReportTime[i] = r.ReadI64();
            VolatilityReport[i] = r.ReadI64();
            VolatilityReportTime[i] = r.ReadI64();
        }

        AggregateTime = r.ReadI64();
        Confidence = r.ReadI64();
        byte status = r.ReadByte();
        Status = status <= (byte)FeedStatus.Resuming ? (FeedStatus)status : throw new InvalidSnapshotException($"feed status {status}");
        LastPrice = r.ReadI64();
        Cumulative = r.ReadI128();
        CumulativeTime = r.ReadI64();
        _checkHead = (int)r.ReadI64();
        _checkCount = (int)r.ReadI64();
        if ((uint)_checkHead >= Checkpoints || (uint)_checkCount > Checkpoints)
        {
            throw new InvalidSnapshotException("feed checkpoint ring out of range");
        }

        for (int i = 0; i < Checkpoints; i++)
        {
            _checkTime[i] = r.ReadI64();
            _checkCum[i] = r.ReadI128();
        }

        Variance = r.ReadU128();
        SamplePrice = r.ReadI64();
        SampleTime = r.ReadI64();
        StablePrice = r.ReadI64();
        StableTime = r.ReadI64();
        ImpliedVolatility = r.ReadI64();
        ImpliedVolatilityTime = r.ReadI64();
    }

    private void PushCheckpoint(long now)
    {
        _checkTime[_checkHead] = now;
        _checkCum[_checkHead] = Cumulative;
        _checkHead = (_checkHead + 1) % Checkpoints;
        _checkCount = System.Math.Min(_checkCount + 1, Checkpoints);
    }
}
