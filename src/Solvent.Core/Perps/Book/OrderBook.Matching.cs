namespace Solvent.Core.Perps.Book;

public sealed partial class OrderBook
{
    /// <summary>
    /// Places an order: validates it (a refusal changes nothing), matches it against the opposite side in
    /// price-time priority at the makers' prices, and rests what is left if its type allows. A resting order
    /// of the taker's own is cancelled when reached (self-trade prevention); a maker the hooks cannot margin
    /// is removed; matching stops at the first fill the taker cannot afford, and then nothing rests.
    /// </summary>
    public PlaceResult Place<THooks>(in OrderRequest r, ref THooks hooks)
        where THooks : struct, IMatchHooks
    {
        if (Validate(r, ref hooks, out long size) is var e and not BookError.None)
        {
            return PlaceResult.Refused(e);
        }

        if (r.Type == OrderType.FillOrKill && Walk(r, size, ref hooks) < size)
        {
            return PlaceResult.Refused(BookError.FillOrKillUnfilled);
        }

        long sequence = ++_sequence;
        long filled = Match(r, size, ref hooks, out bool stopped);
        long rest = size - filled;
        if (rest == 0 || stopped || !r.CanRest)
        {
            return new PlaceResult(BookError.None, 0, filled, 0, stopped);
        }

        int slot = Rest(r, rest, sequence);
        return new PlaceResult(BookError.None, IdOf(slot), filled, rest, false);
    }

    /// <summary>Every check of <see cref="Place{THooks}"/> that needs no write; the size to match (reduce-only clips it).</summary>
    private BookError Validate<THooks>(in OrderRequest r, ref THooks hooks, out long size)
        where THooks : struct, IMatchHooks
    {
        size = r.Size;
        if (r.Price <= 0 || r.Price > MaxPrice)
        {
            return BookError.InvalidPrice;
        }

        if (r.Size <= 0 || r.Size > MaxSize)
        {
            return BookError.InvalidSize;
        }

        if ((uint)r.Owner >= (uint)_ownerHead.Length)
        {
            return BookError.InvalidOwner;
        }

        bool immediate = r.Type is OrderType.Market or OrderType.FillOrKill;
        if ((uint)r.Side > 1 || (uint)r.Type > 3 || (uint)r.Tif > 2
            || (immediate && r.Tif != TimeInForce.Gtc && r.Tif != TimeInForce.Ioc)
            || (r.Type == OrderType.PostOnly && r.Tif == TimeInForce.Ioc)
            || (r.Tif == TimeInForce.GoodTilBlock && r.ExpiryBlock < CurrentBlock)
            || (r.ReduceOnly && r.CanRest))
        {
            // Reduce-only orders never rest: a resting one could outlive the position it was meant to cut.
            return BookError.InvalidTimeInForce;
        }

        if (r.CanRest)
        {
            if (_ownerCount[r.Owner] >= MaxOpenOrdersPerOwner)
            {
                return BookError.OpenOrderLimit;
            }

            if (!HasRoom)
            {
                return BookError.BookFull;
            }
        }

        if (r.Type == OrderType.PostOnly && Crosses(r.Side, r.Price, OppositeBest(r.Side)))
        {
            return BookError.CrossedPostOnly;
        }

        if (r.ReduceOnly)
        {
            long pos = hooks.Position(r.Owner);
            if (pos == 0 || (pos > 0) == (r.Side == OrderSide.Buy))
            {
                return BookError.ReduceOnlyViolation;
            }

            size = System.Math.Min(size, System.Math.Abs(pos));
        }

        return BookError.None;
    }

    private long OppositeBest(OrderSide side) => side == OrderSide.Buy ? BestAsk : BestBid;

    /// <summary>Whether a taker on <paramref name="side"/> with limit <paramref name="limit"/> reaches a maker price (0 = none).</summary>
    private static bool Crosses(OrderSide side, long limit, long makerPrice) =>
        makerPrice != 0 && (side == OrderSide.Buy ? makerPrice <= limit : makerPrice >= limit);

    /// <summary>Matches, writing: returns steps filled.</summary>
    private long Match<THooks>(in OrderRequest r, long size, ref THooks hooks, out bool stopped)
        where THooks : struct, IMatchHooks
    {
        stopped = false;
        BookSide opposite = SideOf(r.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy);
        long remaining = size;
        while (remaining > 0)
        {
            int level = opposite.Best;
            if (level < 0 || !Crosses(r.Side, r.Price, _levels[level].Price))
            {
                break;
            }

            long price = _levels[level].Price;
            int o = _levels[level].Head;
            while (o >= 0 && remaining > 0)
            {
                ref BookOrder m = ref _orders[o];
                int next = m.Next;
                if (m.Owner == r.Owner)
                {
                    long id = IdOf(o);
                    Unlink(o);
                    hooks.Removed(id, r.Owner, RemovalReason.SelfTrade);
                    o = next;
                    continue;
                }

                long q = System.Math.Min(remaining, m.Remaining);
                FillCheck c = hooks.Check(r.Owner, m.Owner, r.Side, price, q);
                if (c == FillCheck.StopTaker)
                {
                    stopped = true;
                    return size - remaining;
                }

                if (c == FillCheck.RemoveMaker)
                {
                    long id = IdOf(o);
                    int owner = m.Owner;
                    Unlink(o);
                    hooks.Removed(id, owner, RemovalReason.Margin);
                    o = next;
                    continue;
                }

                m.Remaining -= q;
                _levels[level].Total -= q;
                remaining -= q;
                var fill = new BookFill(IdOf(o), m.Owner, r.Owner, r.Side, price, q, m.Remaining);
                if (m.Remaining == 0)
                {
                    Unlink(o);
                }

                hooks.Filled(fill);
                o = next;
            }
        }

        return size - remaining;
    }

    /// <summary>
    /// The fill-or-kill dry run: the steps <see cref="Match{THooks}"/> would fill, reading only. Orders of
    /// the taker's own and makers the hooks refuse are passed over here, as the writing walk removes them.
    /// </summary>
    private long Walk<THooks>(in OrderRequest r, long size, ref THooks hooks)
        where THooks : struct, IMatchHooks
    {
        BookSide opposite = SideOf(r.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy);
        long remaining = size;
        for (int rank = 0; rank < opposite.Count && remaining > 0; rank++)
        {
            int level = opposite.LevelAt(rank);
            long price = _levels[level].Price;
            if (!Crosses(r.Side, r.Price, price))
            {
                break;
            }

            for (int o = _levels[level].Head; o >= 0 && remaining > 0; o = _orders[o].Next)
            {
                ref BookOrder m = ref _orders[o];
                if (m.Owner == r.Owner)
                {
                    continue;
                }

                long q = System.Math.Min(remaining, m.Remaining);
                FillCheck c = hooks.Check(r.Owner, m.Owner, r.Side, price, q);
                if (c == FillCheck.StopTaker)
                {
                    hooks.EndPreview();
                    return size - remaining;
                }

                if (c == FillCheck.Fill)
                {
                    hooks.Preview(r.Owner, m.Owner, r.Side, price, q);
                    remaining -= q;
                }
            }
        }

        hooks.EndPreview();
        return size - remaining;
    }
}
