using Solvent.Core.State;

namespace Solvent.Core.Perps.Book;

public sealed partial class OrderBook
{
    /// <summary>
    /// The book's canonical encoding: arrival counter, then every resting order, bids then
    /// asks, best level first and by time within a level. Everything future matching depends on is in it —
    /// priority is the order of the list, ids are arrival numbers, the expiry order is (block, id) — and
    /// nothing else (slots, free lists and the lookup table are rebuilt), so a restored book decides as the
    /// original would. The current block is not in it: it is the chain's height, which the reader is given.
    /// </summary>
    public void WriteCanonical(CanonicalWriter w)
    {
        w.WriteI64(_sequence);
        w.WriteI64(Count);
        WriteSide(w, _bids);
        WriteSide(w, _asks);
    }

    private void WriteSide(CanonicalWriter w, BookSide s)
    {
        for (int r = 0; r < s.Count; r++)
        {
            for (int o = _levels[s.LevelAt(r)].Head; o >= 0; o = _orders[o].Next)
            {
                ref BookOrder x = ref _orders[o];
                w.WriteI64(x.Sequence);
                w.WriteI64(x.Owner);
                w.WriteByte((byte)x.Side);
                w.WriteI64(x.Price);
                w.WriteI64(x.Remaining);
                w.WriteByte((byte)x.Type);
                w.WriteByte((byte)x.Tif);
                w.WriteI64(x.ExpiryBlock);
            }
        }
    }

    /// <summary>
    /// Reads a book written by <see cref="WriteCanonical"/>, checking that it is one the book could have
    /// reached: valid fields, ids below the arrival counter and unique, bids before asks, each side in
    /// priority order, not crossed, no good-til-block order past its block, and no owner above its open-order limit.
    /// </summary>
    public static OrderBook ReadCanonical(ref CanonicalReader r, int owners, int maxOpenOrdersPerOwner, long block)
    {
        long sequence = r.ReadI64();

        // Each order takes 43 bytes, which bounds the count before anything is allocated.
        int count = r.ReadCount(System.Math.Min(r.Remaining / 43, MaxCapacity), "order");
        var book = new OrderBook(owners, maxOpenOrdersPerOwner, System.Math.Max(16, count + (count / 4)))
        {
            CurrentBlock = block,
        };
        book._sequence = sequence;
        OrderSide lastSide = OrderSide.Buy;
        long lastPrice = 0, lastId = 0;
        for (int i = 0; i < count; i++)
        {
            long id = r.ReadI64();
            long owner = r.ReadI64();
            byte side = r.ReadByte();
            long price = r.ReadI64(), remaining = r.ReadI64();
            byte type = r.ReadByte(), tif = r.ReadByte();
            long expiry = r.ReadI64();
            if (id <= 0 || id > sequence || book._slotById.ContainsKey(id) || owner < 0 || owner >= owners || side > 1
                || price <= 0 || price > MaxPrice || remaining <= 0 || remaining > MaxSize
                || (type != (byte)OrderType.Limit && type != (byte)OrderType.PostOnly)
                || (tif != (byte)TimeInForce.Gtc && tif != (byte)TimeInForce.GoodTilBlock)
                || (tif == (byte)TimeInForce.Gtc ? expiry != 0 : expiry < block))
            {
                throw new InvalidSnapshotException($"order book: resting order {i} (id {id}) is not one the book could hold");
            }

            var s = (OrderSide)side;
            bool sameLevel = i > 0 && s == lastSide && price == lastPrice;
            bool ordered = i == 0 || (s == lastSide
                ? (sameLevel ? id > lastId : (s == OrderSide.Buy ? price < lastPrice : price > lastPrice))
                : s == OrderSide.Sell && lastSide == OrderSide.Buy);
            if (!ordered)
            {
                throw new InvalidSnapshotException($"order book: resting order {i} (id {id}) is out of price-time order");
            }

            if (book._ownerCount[owner] >= maxOpenOrdersPerOwner)
            {
                throw new InvalidSnapshotException($"order book: owner {owner} holds more than {maxOpenOrdersPerOwner} orders");
            }

            book.Rest(new OrderRequest((int)owner, s, price, remaining, (OrderType)type, (TimeInForce)tif, expiry), remaining, id);
            (lastSide, lastPrice, lastId) = (s, price, id);
        }

        if (!book.IsUncrossed)
        {
            throw new InvalidSnapshotException("order book: the best bid is not below the best ask");
        }

        return book;
    }
}
