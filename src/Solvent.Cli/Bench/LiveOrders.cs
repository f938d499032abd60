namespace Solvent.Cli.Bench;

/// <summary>The benchmark's set of resting order ids, so every cancel names an order that is still there: O(1) add, remove and random pick.</summary>
internal sealed class LiveOrders(int slots)
{
    private long[] _ids = new long[slots];
    private int[] _at = new int[slots];

    public int Count { get; private set; }

    public long this[int i] => _ids[i];

    public void Add(long id)
    {
        int slot = (int)(id & 0xFFFF_FFFF);
        if (slot >= _at.Length)
        {
            Array.Resize(ref _at, System.Math.Max(slot + 1, _at.Length * 2));
        }

        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, _ids.Length * 2);
        }

        _at[slot] = Count;
        _ids[Count++] = id;
    }

    public void Remove(long id)
    {
        int i = _at[(int)(id & 0xFFFF_FFFF)];
        long last = _ids[--Count];
        _ids[i] = last;
        _at[(int)(last & 0xFFFF_FFFF)] = i;
    }
}
