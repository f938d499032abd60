namespace Solvent.Cli.Bench;

/// <summary>The benchmark's set of resting order ids, so every cancel names an order that is still there: O(1) add, remove and random pick.</summary>
internal sealed class LiveOrders(int capacity)
{
    private long[] _ids = new long[capacity];
    private readonly Dictionary<long, int> _at = new(capacity);

    public int Count { get; private set; }

    public long this[int i] => _ids[i];

    public void Add(long id)
    {
        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, _ids.Length * 2);
        }

        _at[id] = Count;
        _ids[Count++] = id;
    }

    public void Remove(long id)
    {
        _at.Remove(id, out int i);
        long last = _ids[--Count];
        if (last != id)
        {
            _ids[i] = last;
            _at[last] = i;
        }
    }
}
