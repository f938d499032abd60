namespace Solvent.Core.State;

/// <summary>
/// Every subaccount, stored densely: id i owns the slice [i·assets, (i+1)·assets) of one scaled-balance
/// array. Ids are assigned in creation order, so iteration order is a function of the block history.
/// The dictionary is used for lookup only, never iterated.
/// </summary>
public sealed class AccountBook
{
    private readonly int _assets;
    private readonly Dictionary<AccountKey, int> _ids = [];
    private AccountKey[] _keys = new AccountKey[16];
    private MarginMode[] _modes = new MarginMode[16];
    private long[] _scaled;

    internal AccountBook(int assetCount)
    {
        _assets = assetCount;
        _scaled = new long[16 * assetCount];
    }

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
        }
    }
}
