namespace Solvent.Core.Perps.Book;

/// <summary>
/// The price levels of one side, sorted so the best level is last: lookup by binary search (O(log n)),
/// best in O(1), and taking out the best (what matching does) moves nothing. Keys are prices for bids and
/// negated prices for asks, so both sides sort ascending toward their best.
/// </summary>
internal sealed class BookSide
{
    private readonly bool _asks;
    private long[] _keys;
    private int[] _levels;

    public BookSide(bool asks, int capacity)
    {
        _asks = asks;
        _keys = new long[System.Math.Max(capacity, 16)];
        _levels = new int[_keys.Length];
    }

    /// <summary>Number of non-empty levels.</summary>
    public int Count { get; private set; }

    /// <summary>The best level's index, or −1.</summary>
    public int Best => Count > 0 ? _levels[Count - 1] : -1;

    /// <summary>The level <paramref name="rank"/> places behind the best (0 = best).</summary>
    public int LevelAt(int rank) => _levels[Count - 1 - rank];

    private long Key(long price) => _asks ? -price : price;

    /// <summary>The level at <paramref name="price"/>, or −1.</summary>
    public int Find(long price)
    {
        int i = Search(Key(price));
        return i >= 0 ? _levels[i] : -1;
    }

    /// <summary>Adds a level for a price not yet present.</summary>
    public void Insert(long price, int level)
    {
        long key = Key(price);
        int i = ~Search(key);
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _levels, _levels.Length * 2);
        }

        // Most new levels sit near the best, at the end of the arrays: the move is short.
        Array.Copy(_keys, i, _keys, i + 1, Count - i);
        Array.Copy(_levels, i, _levels, i + 1, Count - i);
        _keys[i] = key;
        _levels[i] = level;
        Count++;
    }

    /// <summary>Removes the level at a price that is present.</summary>
    public void Remove(long price)
    {
        int i = Search(Key(price));
        Count--;
        Array.Copy(_keys, i + 1, _keys, i, Count - i);
        Array.Copy(_levels, i + 1, _levels, i, Count - i);
    }

    private int Search(long key)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long k = _keys[mid];
            if (k == key)
            {
                return mid;
            }

            if (k < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
