using Solvent.Core.Perps.Book;

namespace Solvent.Core.Tests.Book;

/// <summary>
/// The obviously-correct matcher: a plain list of resting orders, re-sorted by price then arrival for
/// every match, and fill-or-kill decided by running the match on copies and throwing them away. Ids are
/// arrival numbers. Slow on purpose; it is the specification the real book is checked against.
/// </summary>
internal sealed class ReferenceBook(int maxOpenPerOwner)
{
    internal sealed class Order
    {
        public long Seq;
        public int Owner;
        public OrderSide Side;
        public long Price;
        public long Remaining;
        public OrderType Type;
        public TimeInForce Tif;
        public long Expiry;
    }

    public List<Order> Orders = [];
    public long Sequence;
    public long CurrentBlock;

    private ReferenceBook Copy()
    {
        var c = new ReferenceBook(maxOpenPerOwner) { Sequence = Sequence, CurrentBlock = CurrentBlock };
        foreach (Order o in Orders)
        {
            c.Orders.Add(new Order { Seq = o.Seq, Owner = o.Owner, Side = o.Side, Price = o.Price, Remaining = o.Remaining, Type = o.Type, Tif = o.Tif, Expiry = o.Expiry });
        }

        return c;
    }

    private static bool CanRest(OrderRequest r) => (r.Type == OrderType.Limit || r.Type == OrderType.PostOnly) && r.Tif != TimeInForce.Ioc;

    /// <summary>Orders of a side, best first: highest bid / lowest ask, then earliest.</summary>
    public List<Order> Side(OrderSide side)
    {
        var l = Orders.Where(o => o.Side == side).ToList();
        l.Sort((a, b) => a.Price != b.Price ? (side == OrderSide.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price)) : a.Seq.CompareTo(b.Seq));
        return l;
    }

    private static bool Reaches(OrderSide takerSide, long limit, long price) => takerSide == OrderSide.Buy ? price <= limit : price >= limit;

    /// <summary>Returns (error, seq of the resting rest or 0, filled, rested, stopped).</summary>
    public (BookError Error, long Seq, long Filled, long Rested, bool Stopped) Place(OrderRequest r, TestMargins m, int owners)
    {
        if (r.Price <= 0 || r.Price > OrderBook.MaxPrice)
        {
            return (BookError.InvalidPrice, 0, 0, 0, false);
        }

        if (r.Size <= 0 || r.Size > OrderBook.MaxSize)
        {
            return (BookError.InvalidSize, 0, 0, 0, false);
        }

        if (r.Owner < 0 || r.Owner >= owners)
        {
            return (BookError.InvalidOwner, 0, 0, 0, false);
        }

        bool immediate = r.Type == OrderType.Market || r.Type == OrderType.FillOrKill;
        bool badTif = (immediate && r.Tif == TimeInForce.GoodTilBlock)
            || (r.Type == OrderType.PostOnly && r.Tif == TimeInForce.Ioc)
            || (r.Tif == TimeInForce.GoodTilBlock && r.ExpiryBlock < CurrentBlock)
            || (r.ReduceOnly && CanRest(r));
        if (badTif)
        {
            return (BookError.InvalidTimeInForce, 0, 0, 0, false);
        }

        if (CanRest(r) && Orders.Count(o => o.Owner == r.Owner) >= maxOpenPerOwner)
        {
            return (BookError.OpenOrderLimit, 0, 0, 0, false);
        }

        OrderSide other = r.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
        List<Order> opp = Side(other);
        if (r.Type == OrderType.PostOnly && opp.Count > 0 && Reaches(r.Side, r.Price, opp[0].Price))
        {
            return (BookError.CrossedPostOnly, 0, 0, 0, false);
        }

        long size = r.Size;
        if (r.ReduceOnly)
        {
            long pos = m.Pos[r.Owner];
            if (pos == 0 || (pos > 0) == (r.Side == OrderSide.Buy))
            {
                return (BookError.ReduceOnlyViolation, 0, 0, 0, false);
            }

            size = System.Math.Min(size, System.Math.Abs(pos));
        }

        if (r.Type == OrderType.FillOrKill)
        {
            var trial = Copy();
            var tm = m.Clone();
            if (trial.Match(r, size, tm).Filled < size)
            {
                return (BookError.FillOrKillUnfilled, 0, 0, 0, false);
            }
        }

        long seq = ++Sequence;
        (long filled, bool stopped) = Match(r, size, m);
        long rest = size - filled;
        if (rest == 0 || stopped || !CanRest(r))
        {
            return (BookError.None, 0, filled, 0, stopped);
        }

        Orders.Add(new Order { Seq = seq, Owner = r.Owner, Side = r.Side, Price = r.Price, Remaining = rest, Type = r.Type, Tif = r.Tif, Expiry = r.Tif == TimeInForce.GoodTilBlock ? r.ExpiryBlock : 0 });
        return (BookError.None, seq, filled, rest, false);
    }

    private (long Filled, bool Stopped) Match(OrderRequest r, long size, TestMargins m)
    {
        OrderSide other = r.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
        long remaining = size;
        foreach (Order o in Side(other))
        {
            if (remaining == 0 || !Reaches(r.Side, r.Price, o.Price))
            {
                break;
            }

            if (o.Owner == r.Owner)
            {
                Orders.Remove(o);
                m.Removed(o.Seq, o.Owner, RemovalReason.SelfTrade);
                continue;
            }

            long q = System.Math.Min(remaining, o.Remaining);
            FillCheck c = m.Check(r.Owner, o.Owner, r.Side, o.Price, q);
            if (c == FillCheck.StopTaker)
            {
                return (size - remaining, true);
            }

            if (c == FillCheck.RemoveMaker)
            {
                Orders.Remove(o);
                m.Removed(o.Seq, o.Owner, RemovalReason.Margin);
                continue;
            }

            o.Remaining -= q;
            remaining -= q;
            if (o.Remaining == 0)
            {
                Orders.Remove(o);
            }

            m.Filled(o.Seq, o.Owner, r.Owner, r.Side, o.Price, q, o.Remaining);
        }

        return (size - remaining, false);
    }

    public BookError Cancel(int owner, long seq)
    {
        Order? o = Orders.Find(x => x.Seq == seq);
        if (o is null)
        {
            return BookError.UnknownOrder;
        }

        if (o.Owner != owner)
        {
            return BookError.NotOwner;
        }

        Orders.Remove(o);
        return BookError.None;
    }

    public int CancelAll(int owner) => Orders.RemoveAll(o => o.Owner == owner);

    public (BookError Error, long Seq, long Filled, long Rested, bool Stopped) Replace(int owner, long seq, long price, long size, TestMargins m, int owners)
    {
        Order? o = Orders.Find(x => x.Seq == seq);
        if (o is null)
        {
            return (BookError.UnknownOrder, 0, 0, 0, false);
        }

        if (o.Owner != owner)
        {
            return (BookError.NotOwner, 0, 0, 0, false);
        }

        if (price <= 0 || price > OrderBook.MaxPrice)
        {
            return (BookError.InvalidPrice, 0, 0, 0, false);
        }

        if (size <= 0 || size > OrderBook.MaxSize)
        {
            return (BookError.InvalidSize, 0, 0, 0, false);
        }

        if (price == o.Price && size <= o.Remaining)
        {
            o.Remaining = size;
            return (BookError.None, seq, 0, size, false);
        }

        var r = new OrderRequest(owner, o.Side, price, size, o.Type, o.Tif, o.Expiry);
        List<Order> opp = Side(o.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy);
        if (r.Type == OrderType.PostOnly && opp.Count > 0 && Reaches(r.Side, price, opp[0].Price))
        {
            return (BookError.CrossedPostOnly, 0, 0, 0, false);
        }

        if (r.Tif == TimeInForce.GoodTilBlock && r.ExpiryBlock < CurrentBlock)
        {
            return (BookError.InvalidTimeInForce, 0, 0, 0, false);
        }

        Orders.Remove(o);
        return Place(r, m, owners);
    }

    public int Expire(long block, TestMargins m)
    {
        CurrentBlock = System.Math.Max(CurrentBlock, block);
        var gone = Orders.Where(o => o.Tif == TimeInForce.GoodTilBlock && o.Expiry < block).OrderBy(o => o.Expiry).ThenBy(o => o.Seq).ToList();
        foreach (Order o in gone)
        {
            Orders.Remove(o);
            m.Removed(o.Seq, o.Owner, RemovalReason.Expired);
        }

        return gone.Count;
    }
}
