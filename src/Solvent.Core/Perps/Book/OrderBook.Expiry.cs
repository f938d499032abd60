namespace Solvent.Core.Perps.Book;

public sealed partial class OrderBook
{
    /// <summary>Good-til-block orders as a binary min-heap of slots by (expiry block, arrival).</summary>
    private int[] _heap;
    private int _heapCount;

    /// <summary>
    /// Starts block <paramref name="block"/>: removes every good-til-block order whose last block is before
    /// it, earliest expiry first and by arrival within one block, reporting each as expired.
    /// </summary>
    public int Expire<THooks>(long block, ref THooks hooks)
        where THooks : struct, IMatchHooks
    {
        CurrentBlock = System.Math.Max(CurrentBlock, block);
        int n = 0;
        while (_heapCount > 0 && _orders[_heap[0]].ExpiryBlock < block)
        {
            int slot = _heap[0];
            long id = IdOf(slot);
            int owner = _orders[slot].Owner;
            Unlink(slot);
            hooks.Removed(id, owner, RemovalReason.Expired);
            n++;
        }

        return n;
    }

    private bool Before(int a, int b)
    {
        ref BookOrder x = ref _orders[a];
        ref BookOrder y = ref _orders[b];
        return x.ExpiryBlock < y.ExpiryBlock || (x.ExpiryBlock == y.ExpiryBlock && x.Sequence < y.Sequence);
    }

    private void HeapPush(int slot)
    {
        int i = _heapCount++;
        _heap[i] = slot;
        _orders[slot].HeapIndex = i;
        SiftUp(i);
    }

    private void HeapRemove(int i)
    {
        int removed = _heap[i];
        _orders[removed].HeapIndex = -1;
        _heapCount--;
        if (i == _heapCount)
        {
            return;
        }

        int last = _heap[_heapCount];
        _heap[i] = last;
        _orders[last].HeapIndex = i;
        SiftUp(i);
        SiftDown(_orders[last].HeapIndex);
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(_heap[i], _heap[parent]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int l = (2 * i) + 1, smallest = i;
            if (l < _heapCount && Before(_heap[l], _heap[smallest]))
            {
                smallest = l;
            }

            if (l + 1 < _heapCount && Before(_heap[l + 1], _heap[smallest]))
            {
                smallest = l + 1;
            }

            if (smallest == i)
            {
                return;
            }

            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int i, int j)
    {
        (_heap[i], _heap[j]) = (_heap[j], _heap[i]);
        _orders[_heap[i]].HeapIndex = i;
        _orders[_heap[j]].HeapIndex = j;
    }
}
