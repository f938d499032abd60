using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>
/// Delta-bounded incremental liquidation index. Each subaccount's maintenance health H is linear in
/// every price with slope δᵢ, so while no feed has moved more than a fraction M from the epoch's
/// reference prices P⁰, health has fallen by at most E·(M + Mc), where E = Σ|δᵢ|·P⁰ᵢ is the account's
/// exposure and Mc the move already seen when it was last checked exactly. An account is therefore
/// provably healthy until M reaches its threshold T = (H − slack)/E − Mc; accounts sit in buckets by T
/// (1 bp wide) and a tick re-evaluates exactly only the buckets M has newly crossed plus a small "hot"
/// set already within reach. Index growth (interest), supplier haircuts and funding are folded into M
/// as equivalent relative moves, so the bound covers them too. A second-order (gamma) term would enter
/// as E·M + ½Γ·M² in the same threshold.
/// </summary>
public sealed class RiskIndex
{
    /// <summary>Buckets of 1 bp: thresholds up to this many bp are bucketed; beyond, the account waits for a rebuild.</summary>
    public const int MaxBps = 2000;

    /// <summary>Once M passes this, the next <see cref="Tick"/> rebuilds the epoch (a full scan).</summary>
    public const int RebuildBps = 1000;

    private const int Far = MaxBps + 1;
    private const int Hot = -1;
    private const int None = -2;

    private readonly Engine _e;
    private readonly List<int> _dirty = [];
    private readonly List<int> _hot = [];
    private readonly List<int> _liquidatable = [];
    private readonly int[] _head = new int[Far + 1];
    private long[] _refPrice = [];
    private UInt128[] _refBorrow = [];
    private UInt128[] _refSupply = [];
    private Int128[] _refFunding = [];
    private int[] _bucket = [];
    private int[] _next = [];
    private int[] _prev = [];
    private int[] _hotPos = [];
    private long _parameterVersion = -1;
    private int _processed;

    /// <summary>Creates an index over an engine and builds it.</summary>
    public RiskIndex(Engine engine)
    {
        _e = engine;
        Rebuild();
    }

    /// <summary>Current epoch move M in basis points (rounded up).</summary>
    public int MoveBps => _processed;

    /// <summary>Accounts re-evaluated on every tick.</summary>
    public int HotCount => _hot.Count;

    /// <summary>Number of full rebuilds so far.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>Accounts evaluated exactly by the last tick.</summary>
    public int LastEvaluated { get; private set; }

    /// <summary>
    /// Brings the index up to date with the engine (account changes, prices, indexes) and returns the
    /// complete set of liquidatable subaccounts, ascending by id. The list is reused by the next call.
    /// </summary>
    public IReadOnlyList<int> Tick()
    {
        LastEvaluated = 0;
        if (_parameterVersion != _e.ParameterVersion)
        {
            Rebuild();
        }

        int move = CurrentMoveBps();
        if (move >= RebuildBps)
        {
            Rebuild();
            move = 0;
        }

        // Accounts written since the last tick: their old bound no longer applies.
        _dirty.Clear();
        _e.DrainDirty(_dirty);
        foreach (int id in _dirty)
        {
            Unlink(id);
            Place(id, move);
        }

        // Newly crossed buckets join the hot set.
        for (int b = _processed + 1; b <= move; b++)
        {
            while (_head[b] >= 0)
            {
                int id = _head[b];
                Unlink(id);
                AddHot(id);
            }
        }

        _processed = System.Math.Max(_processed, move);
        _liquidatable.Clear();
        for (int i = 0; i < _hot.Count;)
        {
            int id = _hot[i];
            LastEvaluated++;
            (Int128 h, Int128 exposure, Int128 slack) = Measure(id);
            if (h < 0)
            {
                _liquidatable.Add(id);
            }

            int t = Threshold(h - slack, exposure, _processed);
            if (t > _processed)
            {
                RemoveHot(id);
                Link(id, System.Math.Min(t, Far));
            }
            else
            {
                i++;
            }
        }

        _liquidatable.Sort();
        return _liquidatable;
    }

    /// <summary>Full scan (the reference the index must agree with), ascending ids; exact, via <see cref="FastScan"/>.</summary>
    public static List<int> FullScan(Engine e)
    {
        var scan = new FastScan(e);
        var result = new List<int>();
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            if (!e.IsProtocolAccount(id) && scan.IsLiquidatable(id))
            {
                result.Add(id);
            }
        }

        return result;
    }

    /// <summary>The slow reference: every account through the engine's exact arithmetic.</summary>
    public static List<int> ExactScan(Engine e)
    {
        var result = new List<int>();
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            if (!e.IsProtocolAccount(id) && e.MaintenanceHealthOf(id) < 0)
            {
                result.Add(id);
            }
        }

        return result;
    }

    /// <summary>Starts a new epoch: reference prices and indexes are the current ones; every account is placed afresh.</summary>
    public void Rebuild()
    {
        Rebuilds++;
        _parameterVersion = _e.ParameterVersion;
        AssetPool[] pools = _e.Pools;
        _refPrice = new long[pools.Length];
        _refBorrow = new UInt128[pools.Length];
        _refSupply = new UInt128[pools.Length];
        for (int a = 0; a < pools.Length; a++)
        {
            _refPrice[a] = pools[a].Price;
            _refBorrow[a] = pools[a].BorrowIndex;
            _refSupply[a] = pools[a].SupplyIndex;
        }

        _refFunding = new Int128[_e.Markets.Length];
        for (int m = 0; m < _refFunding.Length; m++)
        {
            _refFunding[m] = _e.Markets[m].FundingIndex;
        }

        int n = _e.Accounts.Count;
        _bucket = new int[n];
        _next = new int[n];
        _prev = new int[n];
        _hotPos = new int[n];
        Array.Fill(_head, -1);
        _hot.Clear();
        _processed = 0;
        _dirty.Clear();
        _e.DrainDirty(_dirty);
        for (int id = 0; id < n; id++)
        {
            _bucket[id] = None;
            Place(id, 0);
        }
    }

    private void Place(int id, int mc)
    {
        if (id >= _bucket.Length)
        {
            Grow(id + 1);
        }

        if (_e.IsProtocolAccount(id))
        {
            _bucket[id] = None;
            return;
        }

        (Int128 h, Int128 exposure, Int128 slack) = Measure(id);
        int t = Threshold(h - slack, exposure, mc);

        // Buckets up to the processed move are never crossed again this epoch.
        if (t <= System.Math.Max(mc, _processed))
        {
            AddHot(id);
        }
        else
        {
            Link(id, System.Math.Min(t, Far));
        }
    }

    /// <summary>Bucket threshold in bp: ⌊margin·1e4 / E⌋ − Mc − 1 (margin = H − slack), or Far when nothing moves health.</summary>
    private static int Threshold(Int128 margin, Int128 exposure, int mc)
    {
        if (exposure <= 0)
        {
            return margin >= 0 ? Far : Hot;
        }

        if (margin <= 0)
        {
            return Hot;
        }

        Int128 bps = (margin * 10_000 / exposure) - mc - 1;
        return bps >= Far ? Far : (int)Int128.Max(bps, Hot);
    }

    /// <summary>
    /// Exact maintenance health, the exposure E = Σ|slope|·reference price (rounded up), and the slack
    /// for rounding: each term's amount can jump by a whole quantum as an index moves, and its value and
    /// weight floors by a unit each, so every term reserves one quantum's value (at up to twice the
    /// reference price) plus a few units.
    /// </summary>
    /// <remarks>
    /// Under <see cref="HealthModel.Aave"/> health is not linear in price: the floored average weight
    /// can step down by 1 bp as values move. Aave-model health stays within [exact − C/10⁴ − 1,
    /// exact + one unit per collateral term], so the slack also reserves 2 bp of each positively weighted
    /// collateral's value at the reference price (values can grow by less than 1.44× before M forces a
    /// rebuild) plus two units per such term and one more.
    /// </remarks>
    private (Int128 Health, Int128 Exposure, Int128 Slack) Measure(int id)
    {
        AssetPool[] pools = _e.Pools;
        bool aave = _e.Genesis.HealthModel == HealthModel.Aave;
        Int128 exposure = 0, slack = aave ? 5 : 4;
        ReadOnlySpan<long> b = _e.Accounts.Balances(id);
        for (int a = 0; a < b.Length; a++)
        {
            long s = b[a];
            if (s == 0)
            {
                continue;
            }

            AssetPool p = pools[a];
            long amount = s > 0 ? p.ScaledToSupply(s) : p.ScaledToDebt(-s);
            long w = s > 0 ? (p.Risk.Collateral ? p.Risk.MaintenanceAssetWeight : 0) : p.Risk.MaintenanceLiabilityWeight;
            exposure += FullMath.Div((Int128)amount * _refPrice[a] * w, (Int128)p.ValueDivisor * Precision.Ppm, Rounding.Up) + 1;
            slack += (2 * _refPrice[a] / p.ValueDivisor) + 4;
            if (aave && s > 0 && p.Risk.Collateral && p.Risk.MaintenanceAssetWeight > 0)
            {
                slack += FullMath.Div((Int128)amount * _refPrice[a], (Int128)p.ValueDivisor * 5_000, Rounding.Up) + 2;
            }
        }

        ReadOnlySpan<long> sizes = _e.Accounts.Sizes(id);
        for (int m = 0; m < sizes.Length; m++)
        {
            if (sizes[m] == 0)
            {
                continue;
            }

            PerpMarket mk = _e.Markets[m];
            int a = mk.Config.BaseAsset;
            exposure += FullMath.Div((Int128)System.Math.Abs(sizes[m]) * _refPrice[a] * (Precision.Ppm + mk.Risk.MaintenanceMarginFraction), (Int128)pools[a].ValueDivisor * Precision.Ppm, Rounding.Up) + 1;
            slack += (4 * _refPrice[a] / pools[a].ValueDivisor) + 8;
        }

        return (_e.MaintenanceHealthOf(id), exposure, slack);
    }

    /// <summary>
    /// M: the largest adverse relative move of any health component since the epoch, in bp rounded
    /// up. A balance's value moves with price × index, so its move is p + i + p·i (price and index
    /// moves); a position's PnL moves with price and funding, so p + f.
    /// </summary>
    private int CurrentMoveBps()
    {
        Int128 worst = 0;
        AssetPool[] pools = _e.Pools;
        Span<long> priceBps = stackalloc long[pools.Length];
        for (int a = 0; a < pools.Length; a++)
        {
            AssetPool p = pools[a];
            long r = _refPrice[a];
            Int128 pb = FullMath.Div(Int128.Abs((Int128)p.Price - r) * 10_000, r, Rounding.Up);
            Int128 ib = 0;
            if (p.BorrowIndex != _refBorrow[a])
            {
                UInt128 d = p.BorrowIndex > _refBorrow[a] ? p.BorrowIndex - _refBorrow[a] : _refBorrow[a] - p.BorrowIndex;
                ib = (Int128)FullMath.MulDiv(d, 10_000, _refBorrow[a], Rounding.Up);
            }

            if (p.SupplyIndex < _refSupply[a])
            {
                ib = Int128.Max(ib, (Int128)FullMath.MulDiv(_refSupply[a] - p.SupplyIndex, 10_000, _refSupply[a], Rounding.Up));
            }

            pb = Int128.Min(pb, MaxBps);
            ib = Int128.Min(ib, MaxBps);
            priceBps[a] = (long)pb;
            Int128 combined = pb + ib + FullMath.Div(pb * ib, 10_000, Rounding.Up) + (ib > 0 ? 1 : 0);
            worst = Int128.Max(worst, combined);
        }

        // A funding index step Δ (quote quantums × 1e9 per whole base) moves PnL like Δ·100/1e9 price units.
        for (int m = 0; m < _refFunding.Length; m++)
        {
            PerpMarket mk = _e.Markets[m];
            Int128 delta = Int128.Abs(mk.FundingIndex - _refFunding[m]);
            int a = mk.Config.BaseAsset;
            Int128 fb = 0;
            if (delta != 0)
            {
                Int128 priceUnits = FullMath.Div(delta * 100, 1_000_000_000, Rounding.Up);
                fb = FullMath.Div(priceUnits * 10_000, _refPrice[a], Rounding.Up) + 1;
            }

            worst = Int128.Max(worst, priceBps[a] + fb);
        }

        return worst >= MaxBps ? RebuildBps : (int)worst;
    }

    private void Link(int id, int bucket)
    {
        _bucket[id] = bucket;
        _prev[id] = -1;
        _next[id] = _head[bucket];
        if (_head[bucket] >= 0)
        {
            _prev[_head[bucket]] = id;
        }

        _head[bucket] = id;
    }

    private void Unlink(int id)
    {
        if (id >= _bucket.Length)
        {
            Grow(id + 1);
        }

        int b = _bucket[id];
        if (b == Hot)
        {
            RemoveHot(id);
            return;
        }

        if (b < 0)
        {
            return;
        }

        if (_prev[id] >= 0)
        {
            _next[_prev[id]] = _next[id];
        }
        else
        {
            _head[b] = _next[id];
        }

        if (_next[id] >= 0)
        {
            _prev[_next[id]] = _prev[id];
        }

        _bucket[id] = None;
    }

    private void AddHot(int id)
    {
        _bucket[id] = Hot;
        _hotPos[id] = _hot.Count;
        _hot.Add(id);
    }

    private void RemoveHot(int id)
    {
        int pos = _hotPos[id];
        int last = _hot[^1];
        _hot[pos] = last;
        _hotPos[last] = pos;
        _hot.RemoveAt(_hot.Count - 1);
        _bucket[id] = None;
    }

    private void Grow(int n)
    {
        int size = System.Math.Max(n, _bucket.Length * 2);
        int old = _bucket.Length;
        Array.Resize(ref _bucket, size);
        Array.Resize(ref _next, size);
        Array.Resize(ref _prev, size);
        Array.Resize(ref _hotPos, size);
        Array.Fill(_bucket, None, old, size - old);
    }
}
