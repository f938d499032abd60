namespace Solvent.Core.Perps.Book;

/// <summary>
/// One perpetual market's central limit order book: price-time priority over integer ticks and steps.
/// Orders live in a preallocated array of slots (a free list reuses them), each price level is a FIFO
/// linked through the slots, and each side keeps its levels sorted with the best last. Nothing iterates a
/// hash table, nothing allocates per order once the arrays are sized, and every decision depends only on
/// the requests in order — the book is consensus state.
/// </summary>
/// <remarks>
/// An order's id is its arrival number, never reused; a lookup table (only ever probed, never iterated)
/// finds its slot, so slots are an internal detail that neither the ids nor the encoding reveal. Margin,
/// fees and the price band are not the book's business: it asks <see cref="IMatchHooks"/> before each fill.
/// </remarks>
public sealed partial class OrderBook
{
    /// <summary>Largest price in ticks.</summary>
    public const long MaxPrice = 1L << 40;

    /// <summary>Largest order size in steps. With at most <see cref="MaxCapacity"/> orders, no level total passes 2^62.</summary>
    public const long MaxSize = 1L << 40;

    /// <summary>Most orders a book can hold.</summary>
    public const int MaxCapacity = 1 << 22;

    private BookOrder[] _orders;
    private int _slotsUsed;
    private int _freeSlot = -1;
    private PriceLevel[] _levels;
    private int _levelsUsed;
    private int _freeLevel = -1;
    private readonly BookSide _bids;
    private readonly BookSide _asks;
    private int[] _ownerHead;
    private int[] _ownerCount;
    private long _sequence;
    private readonly Dictionary<long, int> _slotById;

    /// <summary>An empty book.</summary>
    /// <param name="owners">Owner ids the book accepts, 0 to owners − 1 (grown by <see cref="EnsureOwners"/>).</param>
    /// <param name="maxOpenOrdersPerOwner">Resting orders one owner may hold (order flooding bound).</param>
    /// <param name="capacity">Order slots allocated up front; the book doubles them when full, up to <see cref="MaxCapacity"/>.</param>
    public OrderBook(int owners, int maxOpenOrdersPerOwner, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(owners);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpenOrdersPerOwner, 1);
        capacity = System.Math.Clamp(capacity, 16, MaxCapacity);
        MaxOpenOrdersPerOwner = maxOpenOrdersPerOwner;
        _orders = new BookOrder[capacity];
        _levels = new PriceLevel[capacity];
        _bids = new BookSide(asks: false, capacity / 4);
        _asks = new BookSide(asks: true, capacity / 4);
        _ownerHead = new int[owners];
        _ownerCount = new int[owners];
        Array.Fill(_ownerHead, -1);
        _heap = new int[capacity];
        _slotById = new Dictionary<long, int>(capacity);
    }

    /// <summary>Resting orders one owner may hold.</summary>
    public int MaxOpenOrdersPerOwner { get; }

    /// <summary>Resting orders in the book.</summary>
    public int Count { get; private set; }

    /// <summary>Block the book was last expired at (good-til-block orders must last at least through it).</summary>
    public long CurrentBlock { get; private set; }

    /// <summary>Orders placed so far, accepted or not resting: the next arrival number.</summary>
    public long Sequence => _sequence;

    /// <summary>Makes owner ids up to <paramref name="owners"/> − 1 valid.</summary>
    public void EnsureOwners(int owners)
    {
        if (owners > _ownerHead.Length)
        {
            int old = _ownerHead.Length;
            int n = System.Math.Max(owners, old * 2);
            Array.Resize(ref _ownerHead, n);
            Array.Resize(ref _ownerCount, n);
            Array.Fill(_ownerHead, -1, old, n - old);
        }
    }

    /// <summary>Resting orders of one owner.</summary>
    public int OpenOrders(int owner) => (uint)owner < (uint)_ownerCount.Length ? _ownerCount[owner] : 0;

    /// <summary>Best bid in ticks, or 0 when there is none.</summary>
    public long BestBid => _bids.Best is var l and >= 0 ? _levels[l].Price : 0;

    /// <summary>Best ask in ticks, or 0 when there is none.</summary>
    public long BestAsk => _asks.Best is var l and >= 0 ? _levels[l].Price : 0;

    /// <summary>Number of price levels on a side.</summary>
    public int Levels(OrderSide side) => SideOf(side).Count;

    /// <summary>Total resting steps at a price on a side (0 when no level).</summary>
    public long DepthAt(OrderSide side, long price) => SideOf(side).Find(price) is var l and >= 0 ? _levels[l].Total : 0;

    /// <summary>Whether the best bid is below the best ask (or a side is empty).</summary>
    public bool IsUncrossed => BestBid == 0 || BestAsk == 0 || BestBid < BestAsk;

    /// <summary>The resting order with this id, if any.</summary>
    public bool TryGet(long orderId, out RestingOrder order)
    {
        int slot = SlotOf(orderId);
        order = slot >= 0 ? View(slot) : default;
        return slot >= 0;
    }

    /// <summary>Every resting order of a side, best level first and by time within a level (allocates; for queries and tests).</summary>
    public List<RestingOrder> Resting(OrderSide side)
    {
        var list = new List<RestingOrder>();
        BookSide s = SideOf(side);
        for (int r = 0; r < s.Count; r++)
        {
            for (int o = _levels[s.LevelAt(r)].Head; o >= 0; o = _orders[o].Next)
            {
                list.Add(View(o));
            }
        }

        return list;
    }

    private RestingOrder View(int slot)
    {
        ref BookOrder o = ref _orders[slot];
        return new RestingOrder(o.Sequence, o.Owner, o.Side, o.Price, o.Remaining, o.Type, o.Tif, o.ExpiryBlock);
    }

    private BookSide SideOf(OrderSide side) => side == OrderSide.Buy ? _bids : _asks;

    private long IdOf(int slot) => _orders[slot].Sequence;

    /// <summary>The slot of a resting order id, or −1.</summary>
    private int SlotOf(long orderId) => _slotById.TryGetValue(orderId, out int slot) ? slot : -1;

    /// <summary>Whether one more order can get a slot (never more than <see cref="MaxCapacity"/>).</summary>
    private bool HasRoom => _freeSlot >= 0 || _slotsUsed < _orders.Length || _orders.Length < MaxCapacity;

    /// <summary>Puts an order at the back of its price level and into its owner's list (and the expiry heap).</summary>
    private int Rest(in OrderRequest r, long size, long sequence)
    {
        int slot = TakeSlot();
        ref BookOrder o = ref _orders[slot];
        o.Price = r.Price;
        o.Remaining = size;
        o.Sequence = sequence;
        o.ExpiryBlock = r.Tif == TimeInForce.GoodTilBlock ? r.ExpiryBlock : 0;
        o.Owner = r.Owner;
        o.Side = r.Side;
        o.Type = r.Type;
        o.Tif = r.Tif;
        o.Live = true;
        o.HeapIndex = -1;

        BookSide side = SideOf(r.Side);
        int level = side.Find(r.Price);
        if (level < 0)
        {
            level = TakeLevel(r.Price);
            side.Insert(r.Price, level);
        }

        ref PriceLevel l = ref _levels[level];
        o.Level = level;
        o.Next = -1;
        o.Prev = l.Tail;
        if (l.Tail >= 0)
        {
            _orders[l.Tail].Next = slot;
        }
        else
        {
            l.Head = slot;
        }

        l.Tail = slot;
        l.Count++;
        l.Total += size;

        o.OwnerPrev = -1;
        o.OwnerNext = _ownerHead[r.Owner];
        if (o.OwnerNext >= 0)
        {
            _orders[o.OwnerNext].OwnerPrev = slot;
        }

        _ownerHead[r.Owner] = slot;
        _ownerCount[r.Owner]++;
        if (o.Tif == TimeInForce.GoodTilBlock)
        {
            HeapPush(slot);
        }

        _slotById.Add(sequence, slot);
        Count++;
        return slot;
    }

    /// <summary>Takes a resting order out of its level, its owner's list and the heap, and frees its slot.</summary>
    private void Unlink(int slot)
    {
        ref BookOrder o = ref _orders[slot];
        ref PriceLevel l = ref _levels[o.Level];
        if (o.Prev >= 0)
        {
            _orders[o.Prev].Next = o.Next;
        }
        else
        {
            l.Head = o.Next;
        }

        if (o.Next >= 0)
        {
            _orders[o.Next].Prev = o.Prev;
        }
        else
        {
            l.Tail = o.Prev;
        }

        l.Count--;
        l.Total -= o.Remaining;
        if (l.Count == 0)
        {
            SideOf(o.Side).Remove(l.Price);
            l.NextFree = _freeLevel;
            _freeLevel = o.Level;
        }

        if (o.OwnerPrev >= 0)
        {
            _orders[o.OwnerPrev].OwnerNext = o.OwnerNext;
        }
        else
        {
            _ownerHead[o.Owner] = o.OwnerNext;
        }

        if (o.OwnerNext >= 0)
        {
            _orders[o.OwnerNext].OwnerPrev = o.OwnerPrev;
        }

        _ownerCount[o.Owner]--;
        if (o.HeapIndex >= 0)
        {
            HeapRemove(o.HeapIndex);
        }

        _slotById.Remove(o.Sequence);
        o.Live = false;
        o.Remaining = 0;

        o.Next = _freeSlot;
        _freeSlot = slot;
        Count--;
    }

    private int TakeSlot()
    {
        if (_freeSlot >= 0)
        {
            int s = _freeSlot;
            _freeSlot = _orders[s].Next;
            return s;
        }

        if (_slotsUsed == _orders.Length)
        {
            int n = System.Math.Min(_orders.Length * 2, MaxCapacity);
            Array.Resize(ref _orders, n);
            Array.Resize(ref _heap, n);
            _slotById.EnsureCapacity(n);
        }

        return _slotsUsed++;
    }

    private int TakeLevel(long price)
    {
        int level;
        if (_freeLevel >= 0)
        {
            level = _freeLevel;
            _freeLevel = _levels[level].NextFree;
        }
        else
        {
            if (_levelsUsed == _levels.Length)
            {
                Array.Resize(ref _levels, _levels.Length * 2);
            }

            level = _levelsUsed++;
        }

        _levels[level] = new PriceLevel { Price = price, Head = -1, Tail = -1, NextFree = -1 };
        return level;
    }
}
