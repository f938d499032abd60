namespace Solvent.Core.State;

/// <summary>
/// A set of dense subaccount ids in first-added order, with O(1) add and clear: an id is in the set when
/// its stamp equals the current epoch, so clearing bumps the epoch instead of touching every stamp. The
/// engine keeps two (accounts written since the risk index last drained, accounts written since the
/// last end of block), which empty on different schedules.
/// </summary>
internal sealed class AccountIdSet
{
    private readonly List<int> _ids = [];
    private int[] _stamp = new int[16];
    private int _epoch = 1;

    /// <summary>The ids, each once, in the order first added.</summary>
    public List<int> Ids => _ids;

    /// <summary>Adds <paramref name="id"/> unless it is already in the set.</summary>
    public void Add(int id)
    {
        if (id >= _stamp.Length)
        {
            Array.Resize(ref _stamp, System.Math.Max(id + 1, _stamp.Length * 2));
        }

        if (_stamp[id] != _epoch)
        {
            _stamp[id] = _epoch;
            _ids.Add(id);
        }
    }

    /// <summary>Empties the set.</summary>
    public void Clear()
    {
        _ids.Clear();
        _epoch++;
    }
}
