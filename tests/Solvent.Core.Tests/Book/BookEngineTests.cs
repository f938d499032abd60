using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Perps.Book;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Book;

/// <summary>Order-book actions through the engine on the perp venue (TST index $100, tick $0.01, step 0.001, IMF 10%); figures worked by hand.</summary>
public class BookEngineTests
{
    private static Config.Genesis Venue(string fees = "\"takerFee\": \"0.0005\", \"makerFee\": \"-0.0002\"", string extra = "") =>
        Config.GenesisLoader.Parse(Json(extra).Replace("\"takerFee\": \"0\"", fees));

    private static Engine Funded(Config.Genesis g, params (int User, string Usdc)[] users)
    {
        var e = new Engine(g);
        foreach ((int u, string usdc) in users)
        {
            Assert.True(e.Apply(new Deposit(User(u), Acct(u), Usdc, Usd(usdc))).Ok);
        }

        return e;
    }

    private static PlaceBookOrder Limit(int user, bool buy, string price, string size, OrderType type = OrderType.Limit, TimeInForce tif = TimeInForce.Gtc, bool reduceOnly = false) =>
        new(User(user), Acct(user), Perp, buy, Px(price), Base(size), type, tif, 0, reduceOnly);

    private static long Id(ActionResult r) => r.Events.OfType<BookOrderPlaced>().Single().OrderId;

    [Fact]
    public void A_fill_is_a_trade_between_taker_and_maker_at_the_makers_price_with_both_fees()
    {
        Engine e = Funded(Venue(), (1, "1000"), (2, "1000"));
        ActionResult rest = e.Apply(Limit(1, false, "101", "2", OrderType.PostOnly));
        Assert.True(rest.Ok, rest.Message);

        ActionResult take = e.Apply(Limit(2, true, "102", "2", tif: TimeInForce.Ioc));
        Assert.True(take.Ok, take.Message);

        // Notional 2 × $101 = $202; taker fee 0.05% = $0.101; maker rebate 0.02% = $0.0404.
        int maker = e.Accounts.Find(Acct(1)), taker = e.Accounts.Find(Acct(2));
        Assert.Equal(Base("2"), e.Accounts.Size(taker, Perp));
        Assert.Equal(-Base("2"), e.Accounts.Size(maker, Perp));
        Assert.Equal(-Usd("202.101"), e.Accounts.Quote(taker, Perp));
        Assert.Equal(Usd("202.0404"), e.Accounts.Quote(maker, Perp));
        Assert.Equal(Usd("0.0606"), e.Markets[Perp].FeePool);
        Assert.Equal(2, take.Events.OfType<Traded>().Count());
        AssertLedgers(e, Usd("2000"));
        Assert.Equal(0, e.BookOf(Perp)!.Count);
    }

    [Fact]
    public void Bad_input_gets_a_stable_code_and_changes_nothing()
    {
        Engine e = Funded(Venue(extra: ", \"maxOpenOrders\": 2"), (1, "1000"), (2, "1000"));
        long id = Id(e.Apply(Limit(1, false, "101", "1")));
        e.Apply(Limit(1, false, "102", "1"));
        byte[] before = e.SaveSnapshot();

        void Refused(ErrorCode code, EngineAction a)
        {
            ActionResult r = e.Apply(a);
            Assert.Equal(code, r.Code);
            Assert.Equal(before, e.SaveSnapshot());
        }

        Refused(ErrorCode.CrossedPostOnly, Limit(2, true, "101", "1", OrderType.PostOnly));
        Refused(ErrorCode.InvalidPrice, Limit(2, true, "100.005", "1"));
        Refused(ErrorCode.InvalidPrice, Limit(2, true, "0", "1"));
        Refused(ErrorCode.SizeNotMultipleOfStep, Limit(2, true, "100", "1.0005"));
        Refused(ErrorCode.InvalidAmount, Limit(2, true, "100", "0"));
        Refused(ErrorCode.ReduceOnlyViolation, Limit(2, false, "100", "1", OrderType.Market, TimeInForce.Ioc, reduceOnly: true));
        Refused(ErrorCode.InvalidTimeInForce, Limit(2, false, "103", "1", reduceOnly: true));
        Refused(ErrorCode.NotOrderOwner, new CancelOrder(User(2), Acct(2), Perp, id));
        Refused(ErrorCode.UnknownOrder, new CancelOrder(User(1), Acct(1), Perp, 99));
        Refused(ErrorCode.UnknownOrder, new ReplaceOrder(User(1), Acct(1), Perp, 99, Px("101"), Base("1")));
        Refused(ErrorCode.OpenOrderLimit, Limit(1, false, "103", "1"));
        Refused(ErrorCode.Unauthorized, new CancelOrder(User(2), Acct(1), Perp, id));

        // Filled: the order is gone, so a replace of it is refused as unknown.
        Assert.True(e.Apply(Limit(2, true, "101", "1", tif: TimeInForce.Ioc)).Ok);
        before = e.SaveSnapshot();
        Refused(ErrorCode.UnknownOrder, new ReplaceOrder(User(1), Acct(1), Perp, id, Px("101"), Base("1")));
    }

    [Fact]
    public void A_taker_stops_at_the_last_fill_it_can_afford_and_fill_or_kill_is_refused_whole()
    {
        Engine e = Funded(Venue("\"takerFee\": \"0\""), (1, "1000"), (2, "1000"), (3, "1000"), (4, "25"));
        foreach (int maker in new[] { 1, 2, 3 })
        {
            Assert.True(e.Apply(Limit(maker, false, "100", "1")).Ok);
        }

        byte[] before = e.SaveSnapshot();
        Assert.Equal(ErrorCode.FillOrKillUnfilled, e.Apply(Limit(4, true, "100", "3", OrderType.FillOrKill)).Code);
        Assert.Equal(before, e.SaveSnapshot());

        // $25 carries 2 TST at 10% IMF ($20), not 3 ($30).
        ActionResult r = e.Apply(Limit(4, true, "100", "3", tif: TimeInForce.Ioc));
        Assert.True(r.Ok, r.Message);
        BookOrderPlaced placed = r.Events.OfType<BookOrderPlaced>().Single();
        Assert.Equal((Base("2"), 0L, true), (placed.Filled, placed.Rested, placed.StoppedByMargin));
        Assert.Equal(Base("2"), e.Accounts.Size(e.Accounts.Find(Acct(4)), Perp));
        Assert.Equal(1, e.BookOf(Perp)!.Count);
        Assert.True(e.HealthOf(e.Accounts.Find(Acct(4))).InitialHealth >= 0);
    }

    [Fact]
    public void A_maker_that_can_no_longer_be_margined_is_removed_not_filled()
    {
        Engine e = Funded(Venue("\"takerFee\": \"0\""), (1, "60"), (2, "1000"), (3, "1000"));
        long weak = Id(e.Apply(Limit(1, false, "100", "5")));
        long good = Id(e.Apply(Limit(2, false, "100", "5")));

        // Resting orders carry no margin: the maker may withdraw, and then cannot carry 5 TST ($50).
        Assert.True(e.Apply(new Withdraw(User(1), Acct(1), Usdc, Usd("50"))).Ok);
        ActionResult r = e.Apply(Limit(3, true, "100", "5", tif: TimeInForce.Ioc));
        Assert.True(r.Ok, r.Message);

        Assert.Equal(new BookOrderRemoved(Acct(1), Perp, weak, RemovalReason.Margin), r.Events.OfType<BookOrderRemoved>().Single());
        Assert.Equal(0, e.Accounts.Size(e.Accounts.Find(Acct(1)), Perp));
        Assert.Equal(-Base("5"), e.Accounts.Size(e.Accounts.Find(Acct(2)), Perp));
        Assert.False(e.BookOf(Perp)!.TryGet(good, out _));
    }

    [Fact]
    public void Fills_stay_inside_the_oracle_band()
    {
        // Default band 10%: an ask at $111 is beyond it, so the taker stops before it.
        Engine e = Funded(Venue("\"takerFee\": \"0\""), (1, "1000"), (2, "10000"));
        e.Apply(Limit(1, false, "105", "1"));
        e.Apply(Limit(1, false, "111", "1"));
        ActionResult r = e.Apply(Limit(2, true, "120", "2", tif: TimeInForce.Ioc));
        Assert.Equal(Base("1"), r.Events.OfType<BookOrderPlaced>().Single().Filled);
        Assert.Equal(Px("111"), e.BookOf(Perp)!.BestAsk * e.Markets[Perp].Config.TickSize);
    }

    [Fact]
    public void The_book_is_in_the_state_root_and_a_snapshot_restores_it()
    {
        Config.Genesis g = Venue();
        Engine e = Funded(g, (1, "1000"), (2, "1000"));
        byte[] emptyRoot = e.ComputeStateRoot();
        e.Apply(Limit(1, false, "101", "1"));
        Assert.NotEqual(emptyRoot, e.ComputeStateRoot());
        e.Apply(Limit(2, true, "99", "1", tif: TimeInForce.GoodTilBlock) with { ExpiryBlock = 3 });
        byte[] root = e.ComputeStateRoot();

        Engine restored = Engine.RestoreSnapshot(g, e.SaveSnapshot(), root);
        Assert.Equal(root, restored.ComputeStateRoot());
        Assert.Equal(e.BookOf(Perp)!.Resting(OrderSide.Sell), restored.BookOf(Perp)!.Resting(OrderSide.Sell));
        Assert.Equal(e.BookOf(Perp)!.Resting(OrderSide.Buy), restored.BookOf(Perp)!.Resting(OrderSide.Buy));

        // Both go on to decide the same: the next order gets the same id and the same fill.
        ActionResult a = e.Apply(Limit(2, true, "101", "1", tif: TimeInForce.Ioc)), b = restored.Apply(Limit(2, true, "101", "1", tif: TimeInForce.Ioc));
        Assert.Equal(a.Events.ToArray(), b.Events.ToArray());
        Assert.Equal(e.ComputeStateRoot(), restored.ComputeStateRoot());
    }
}
