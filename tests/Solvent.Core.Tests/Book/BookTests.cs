using Solvent.Core.Perps.Book;

namespace Solvent.Core.Tests.Book;

/// <summary>Hand-worked cases of the book's rules; the expected figures are worked out from the rules, not read from a run.</summary>
public class BookTests
{
    private static (OrderBook Book, TestMargins M, TestHooks H) New(int owners = 4, int maxOpen = 8, long limit = 1_000)
    {
        var m = new TestMargins(Enumerable.Repeat(limit, owners).ToArray());
        return (new OrderBook(owners, maxOpen, 16), m, new TestHooks(m));
    }

    private static OrderRequest Buy(int owner, long price, long size, OrderType t = OrderType.Limit, TimeInForce tif = TimeInForce.Gtc) => new(owner, OrderSide.Buy, price, size, t, tif);

    private static OrderRequest Sell(int owner, long price, long size, OrderType t = OrderType.Limit, TimeInForce tif = TimeInForce.Gtc) => new(owner, OrderSide.Sell, price, size, t, tif);

    [Fact]
    public void Better_price_first_then_earlier_arrival_at_the_makers_prices()
    {
        var (book, m, h) = New();
        long a = book.Place(Sell(0, 101, 5), ref h).OrderId;
        long b = book.Place(Sell(1, 100, 3), ref h).OrderId;
        long c = book.Place(Sell(2, 100, 4), ref h).OrderId;

        PlaceResult r = book.Place(Buy(3, 101, 10), ref h);

        // 3 from b at 100, then 4 from c at 100, then 3 of a's 5 at 101.
        Assert.Equal((10L, 0L), (r.Filled, r.Rested));
        Assert.Equal([(b, 100L, 3L, 0L), (c, 100L, 4L, 0L), (a, 101L, 3L, 2L)], m.Events.Select(e => (e.MakerSeq, e.Price, e.Size, e.MakerRemaining)).ToArray());
        Assert.Equal(10, m.Pos[3]);
        Assert.Equal(-3, m.Pos[1]);
        Assert.Equal(2, book.DepthAt(OrderSide.Sell, 101));
    }

    [Fact]
    public void Replace_keeps_priority_only_when_shrinking_at_the_same_price()
    {
        var (book, m, h) = New();
        long first = book.Place(Buy(0, 100, 5), ref h).OrderId;
        long second = book.Place(Buy(1, 100, 5), ref h).OrderId;

        PlaceResult shrunk = book.Replace(0, first, 100, 2, ref h);
        Assert.Equal(first, shrunk.OrderId);
        book.Place(Sell(2, 100, 1), ref h);
        Assert.Equal(first, m.Events[^1].MakerSeq);

        // Growing goes to the back, behind owner 1's order, under a new id.
        PlaceResult grown = book.Replace(0, first, 100, 6, ref h);
        Assert.NotEqual(first, grown.OrderId);
        Assert.False(book.TryGet(first, out _));
        book.Place(Sell(2, 100, 1), ref h);
        Assert.Equal(second, m.Events[^1].MakerSeq);
    }

    [Fact]
    public void Self_trade_cancels_the_resting_order_and_matching_goes_on()
    {
        var (book, m, h) = New();
        long own = book.Place(Sell(0, 100, 5), ref h).OrderId;
        long other = book.Place(Sell(1, 100, 5), ref h).OrderId;

        PlaceResult r = book.Place(Buy(0, 100, 3), ref h);

        Assert.Equal(3, r.Filled);
        Assert.Equal(new BookEvent(false, own, 0, -1, default, 0, 0, 0, RemovalReason.SelfTrade), m.Events[0]);
        Assert.Equal(other, m.Events[1].MakerSeq);
        Assert.Equal(0, book.OpenOrders(0));
    }

    [Fact]
    public void Post_only_that_would_cross_is_refused_and_changes_nothing()
    {
        var (book, _, h) = New();
        book.Place(Sell(1, 100, 5), ref h);
        Assert.Equal(BookError.CrossedPostOnly, book.Place(Buy(0, 100, 1, OrderType.PostOnly), ref h).Error);
        Assert.True(book.Place(Buy(0, 99, 1, OrderType.PostOnly), ref h).Ok);
        Assert.Equal(5, book.DepthAt(OrderSide.Sell, 100));
    }

    [Fact]
    public void Fill_or_kill_short_of_liquidity_or_margin_changes_nothing()
    {
        var (book, m, h) = New(limit: 6);
        book.Place(Sell(1, 100, 4), ref h);
        book.Place(Sell(2, 101, 4), ref h);

        Assert.Equal(BookError.FillOrKillUnfilled, book.Place(Buy(0, 100, 5, OrderType.FillOrKill), ref h).Error);

        // 8 steps are there at ≤ 101, but owner 0 may hold only 6.
        Assert.Equal(BookError.FillOrKillUnfilled, book.Place(Buy(0, 101, 8, OrderType.FillOrKill), ref h).Error);
        Assert.Empty(m.Events);
        Assert.Equal(0, m.Pos[0]);

        PlaceResult ok = book.Place(Buy(0, 101, 6, OrderType.FillOrKill), ref h);
        Assert.Equal(6, ok.Filled);
        Assert.Equal(2, book.DepthAt(OrderSide.Sell, 101));
    }

    [Fact]
    public void Taker_stops_at_the_last_fill_it_can_afford_and_nothing_rests()
    {
        var (book, m, h) = New(limit: 5);
        book.Place(Sell(1, 100, 3), ref h);
        book.Place(Sell(2, 100, 3), ref h);

        PlaceResult r = book.Place(Buy(0, 100, 10), ref h);

        Assert.Equal((3L, 0L, true, 0L), (r.Filled, r.Rested, r.StoppedByMargin, r.OrderId));
        Assert.Equal(0, book.BestBid);
        Assert.Equal(3, book.DepthAt(OrderSide.Sell, 100));
    }

    [Fact]
    public void A_maker_that_cannot_be_margined_is_removed_not_filled()
    {
        var (book, m, h) = New(limit: 5);
        m.Pos[1] = -4;
        m.Pos[3] = 4;
        long weak = book.Place(Sell(1, 100, 3), ref h).OrderId;
        long good = book.Place(Sell(2, 100, 3), ref h).OrderId;

        PlaceResult r = book.Place(Buy(0, 100, 2), ref h);

        Assert.Equal(2, r.Filled);
        Assert.Equal(RemovalReason.Margin, m.Events[0].Reason);
        Assert.Equal(weak, m.Events[0].MakerSeq);
        Assert.Equal(good, m.Events[1].MakerSeq);
        Assert.False(book.TryGet(weak, out _));
    }

    [Fact]
    public void Reduce_only_is_refused_on_flat_or_increasing_and_clipped_to_the_position()
    {
        var (book, m, h) = New();
        book.Place(Buy(1, 100, 10), ref h);
        Assert.Equal(BookError.ReduceOnlyViolation, book.Place(Sell(0, 100, 1, OrderType.Market) with { ReduceOnly = true }, ref h).Error);
        m.Pos[0] = -3;
        m.Pos[2] = 3;
        Assert.Equal(BookError.ReduceOnlyViolation, book.Place(Sell(0, 100, 1, OrderType.Market) with { ReduceOnly = true }, ref h).Error);
        m.Pos[0] = 3;
        m.Pos[2] = -3;
        Assert.Equal(3, book.Place(Sell(0, 100, 9, OrderType.Market) with { ReduceOnly = true }, ref h).Filled);
        Assert.Equal(BookError.InvalidTimeInForce, book.Place(Sell(0, 100, 1) with { ReduceOnly = true }, ref h).Error);
    }

    [Fact]
    public void Open_order_limit_cancel_rules_and_stale_ids()
    {
        var (book, _, h) = New(maxOpen: 2);
        long a = book.Place(Buy(0, 90, 1), ref h).OrderId;
        book.Place(Buy(0, 91, 1), ref h);
        Assert.Equal(BookError.OpenOrderLimit, book.Place(Buy(0, 92, 1), ref h).Error);

        // Immediate orders never rest, so the limit does not apply to them.
        Assert.True(book.Place(Sell(0, 200, 1, OrderType.Market), ref h).Ok);

        Assert.Equal(BookError.NotOwner, book.Cancel(1, a));
        Assert.Equal(BookError.None, book.Cancel(0, a));
        Assert.Equal(BookError.UnknownOrder, book.Cancel(0, a));

        // The freed slot is reused, the id never: the old id stays unknown.
        long b = book.Place(Buy(1, 80, 1), ref h).OrderId;
        Assert.Equal(4, b);
        Assert.Equal(BookError.UnknownOrder, book.Replace(0, a, 90, 1, ref h).Error);
        Assert.Equal(1, book.CancelAll(0));
        Assert.Equal(1, book.Count);
    }

    [Fact]
    public void Good_til_block_orders_rest_through_their_block_and_then_expire_in_order()
    {
        var (book, m, h) = New();
        long late = book.Place(Buy(0, 90, 1, tif: TimeInForce.GoodTilBlock) with { ExpiryBlock = 5 }, ref h).OrderId;
        long early = book.Place(Buy(1, 91, 1, tif: TimeInForce.GoodTilBlock) with { ExpiryBlock = 3 }, ref h).OrderId;
        book.Place(Buy(2, 92, 1), ref h);

        Assert.Equal(0, book.Expire(3, ref h));
        Assert.Equal(1, book.Expire(4, ref h));
        Assert.Equal(early, m.Events[0].MakerSeq);
        Assert.Equal(BookError.InvalidTimeInForce, book.Place(Buy(0, 90, 1, tif: TimeInForce.GoodTilBlock) with { ExpiryBlock = 3 }, ref h).Error);
        Assert.Equal(1, book.Expire(9, ref h));
        Assert.Equal(late, m.Events[1].MakerSeq);
        Assert.Equal(1, book.Count);
    }
}
