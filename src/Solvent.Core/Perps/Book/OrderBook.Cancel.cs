namespace Solvent.Core.Perps.Book;

public sealed partial class OrderBook
{
    /// <summary>Cancels one resting order of <paramref name="owner"/>.</summary>
    public BookError Cancel(int owner, long orderId)
    {
        int slot = SlotOf(orderId);
        if (slot < 0)
        {
            return BookError.UnknownOrder;
        }

        if (_orders[slot].Owner != owner)
        {
            return BookError.NotOwner;
        }

        Unlink(slot);
        return BookError.None;
    }

    /// <summary>Cancels every resting order of <paramref name="owner"/>; returns how many.</summary>
    public int CancelAll(int owner)
    {
        if ((uint)owner >= (uint)_ownerHead.Length)
        {
            return 0;
        }

        int n = 0;
        while (_ownerHead[owner] >= 0)
        {
            Unlink(_ownerHead[owner]);
            n++;
        }

        return n;
    }

    /// <summary>
    /// Replaces a resting order's price and size (the new unfilled size). Shrinking at the same price keeps
    /// the order's place in its level and its id; anything else cancels it and places a new order with the
    /// same side, type and time in force, which may match and goes to the back of its level.
    /// </summary>
    public PlaceResult Replace<THooks>(int owner, long orderId, long price, long size, ref THooks hooks)
        where THooks : struct, IMatchHooks
    {
        int slot = SlotOf(orderId);
        if (slot < 0)
        {
            return PlaceResult.Refused(BookError.UnknownOrder);
        }

        ref BookOrder o = ref _orders[slot];
        if (o.Owner != owner)
        {
            return PlaceResult.Refused(BookError.NotOwner);
        }

        if (price <= 0 || price > MaxPrice)
        {
            return PlaceResult.Refused(BookError.InvalidPrice);
        }

        if (size <= 0 || size > MaxSize)
        {
            return PlaceResult.Refused(BookError.InvalidSize);
        }

        if (price == o.Price && size <= o.Remaining)
        {
            _levels[o.Level].Total -= o.Remaining - size;
            o.Remaining = size;
            return new PlaceResult(BookError.None, orderId, 0, size, false);
        }

        var r = new OrderRequest(owner, o.Side, price, size, o.Type, o.Tif, o.ExpiryBlock);

        // The replacement must be accepted before the original goes: the opposite side is what a
        // post-only check reads, and cancelling an order of the same side frees the slot and open-order
        // room the new one needs, so these are the only checks that could still refuse it.
        if (r.Type == OrderType.PostOnly && Crosses(r.Side, r.Price, OppositeBest(r.Side)))
        {
            return PlaceResult.Refused(BookError.CrossedPostOnly);
        }

        if (r.Tif == TimeInForce.GoodTilBlock && r.ExpiryBlock < CurrentBlock)
        {
            return PlaceResult.Refused(BookError.InvalidTimeInForce);
        }

        Unlink(slot);
        return Place(r, ref hooks);
    }
}
