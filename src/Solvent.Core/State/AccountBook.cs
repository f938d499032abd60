namespace Solvent.Core.State;

/// <summary>
/// Every subaccount, stored densely: id i owns the slice [i·assets, (i+1)·assets) of one scaled-balance
/// array. Ids are assigned in creation order, so iteration order is a function of the block history.
/// The dictionary is used for lookup only, never iterated.
/// </summary>
public sealed class AccountBook
{
    private readonly int _assets;
    private readonly int _markets;
    private long[] _size;
    private long[] _quote;
    private Int128[] _funding;
    private long[] _flagged = new long[16];
    private readonly Dictionary<AccountKey, int> _ids = [];
    private AccountKey[] _keys = new AccountKey[16];
    private MarginMode[] _modes = new MarginMode[16];
    private long[] _scaled;

    internal AccountBook(int assetCount, int marketCount = 0)
    {
        _assets = assetCount;
        _markets = marketCount;
        _scaled = new long[16 * assetCount];
        _size = new long[16 * marketCount];
        _quote = new long[16 * marketCount];
        _funding = new Int128[16 * marketCount];
    }

    /// <summary>Number of perpetual markets (the stride of the position arrays).</summary>
    public int MarketCount => _markets;

    /// <summary>Signed position sizes of one subaccount, per market (base quantums).</summary>
    public ReadOnlySpan<long> Sizes(int id) => _size.AsSpan(id * _markets, _markets);

    /// <summary>Position quote balances (cost basis, realized PnL, fees and settled funding), per market.</summary>
    public ReadOnlySpan<long> Quotes(int id) => _quote.AsSpan(id * _markets, _markets);

    /// <summary>Funding index each position last settled at, per market.</summary>
    public ReadOnlySpan<Int128> FundingSnapshots(int id) => _funding.AsSpan(id * _markets, _markets);

    /// <summary>Position size in one market.</summary>
    public long Size(int id, int market) => _size[(id * _markets) + market];

    /// <summary>Position quote in one market.</summary>
    public long Quote(int id, int market) => _quote[(id * _markets) + market];

    /// <summary>Funding index at the last settlement of one position.</summary>
    public Int128 FundingSnapshot(int id, int market) => _funding[(id * _markets) + market];

    /// <summary>Block height at which the subaccount was flagged liquidatable (0 = not flagged).</summary>
    public long FlaggedAt(int id) => _flagged[id];

    internal void SetPosition(int id, int market, long size, long quote, Int128 funding)
    {
        int i = (id * _markets) + market;
        _size[i] = size;
        _quote[i] = quote;
        _funding[i] = funding;
    }

    internal void SetFlagged(int id, long height) => _flagged[id] = height;

    internal void SetMode(int id, MarginMode mode) => _modes[id] = mode;

    /// <summary>Number of subaccounts.</summary>
    public int Count { get; private set; }

    /// <summary>Number of assets (the stride of the balance array).</summary>
    public int AssetCount => _assets;

    /// <summary>Dense id of a subaccount, or -1.</summary>
    public int Find(AccountKey key) => _ids.TryGetValue(key, out int id) ? id : -1;

    /// <summary>Key of a dense id.</summary>
    public AccountKey KeyOf(int id) => _keys[id];

    /// <summary>Margin mode of a dense id.</summary>
    public MarginMode ModeOf(int id) => _modes[id];

    /// <summary>Scaled balances of one subaccount (positive = supplied, negative = borrowed).</summary>
    public ReadOnlySpan<long> Balances(int id) => _scaled.AsSpan(id * _assets, _assets);

    /// <summary>Scaled balance of one asset.</summary>
    public long Scaled(int id, int asset) => _scaled[(id * _assets) + asset];

    internal void SetScaled(int id, int asset, long value) => _scaled[(id * _assets) + asset] = value;

    internal int Create(AccountKey key, MarginMode mode)
    {
        if (Count == _keys.Length)
        {
            int n = _keys.Length * 2;
            Array.Resize(ref _keys, n);
            Array.Resize(ref _modes, n);
            Array.Resize(ref _scaled, n * _assets);
            Array.Resize(ref _size, n * _markets);
            Array.Resize(ref _quote, n * _markets);
            Array.Resize(ref _funding, n * _markets);
            Array.Resize(ref _flagged, n);
        }

        int id = Count++;
        _keys[id] = key;
        _modes[id] = mode;
        _ids.Add(key, id);
        return id;
    }

    /// <summary>Undoes the most recent <see cref="Create"/> (rollback of a rejected action).</summary>
    internal void RemoveLast(int id)
    {
        if (id != Count - 1)
        {
            throw new InvalidOperationException("only the newest account can be removed");
        }

        _ids.Remove(_keys[id]);
        _scaled.AsSpan(id * _assets, _assets).Clear();
        _size.AsSpan(id * _markets, _markets).Clear();
        _quote.AsSpan(id * _markets, _markets).Clear();
        _funding.AsSpan(id * _markets, _markets).Clear();
        _flagged[id] = 0;
        _keys[id] = default;
        _modes[id] = default;
        Count--;
    }

    /// <summary>Pre-sizes the arrays (bulk loads, simulations).</summary>
    public void EnsureCapacity(int accounts)
    {
        if (accounts > _keys.Length)
        {
            Array.Resize(ref _keys, accounts);
            Array.Resize(ref _modes, accounts);
            Array.Resize(ref _scaled, accounts * _assets);
            Array.Resize(ref _size, accounts * _markets);
            Array.Resize(ref _quote, accounts * _markets);
            Array.Resize(ref _funding, accounts * _markets);
            Array.Resize(ref _flagged, accounts);
            _ids.EnsureCapacity(accounts);
        }
    }

    internal void WriteCanonical(CanonicalWriter w)
    {
        w.WriteI64(Count);
        for (int id = 0; id < Count; id++)
        {
            w.WriteAddress(_keys[id].Owner);
            w.WriteI64(_keys[id].Number);
            w.WriteByte((byte)_modes[id]);
            ReadOnlySpan<long> b = Balances(id);
            for (int a = 0; a < b.Length; a++)
            {
                w.WriteI64(b[a]);
            }

            for (int m = 0; m < _markets; m++)
            {
                int i = (id * _markets) + m;
                w.WriteI64(_size[i]);
                w.WriteI64(_quote[i]);
                w.WriteI128(_funding[i]);
            }

            w.WriteI64(_flagged[id]);
        }
    }
}
