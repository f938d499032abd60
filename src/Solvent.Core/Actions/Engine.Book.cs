using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>Order-book actions: place, cancel, cancel-all and replace, one book per perpetual market.</summary>
public sealed partial class Engine
{
    /// <summary>Books by market, created on first use; null while no market has one.</summary>
    private OrderBook?[]? _books;

    /// <summary>The market's order book, or null when no order was ever sent to it (read-only use: queries, tests).</summary>
    public OrderBook? BookOf(int market) => ValidMarket(market) ? _books?[market] : null;

    private OrderBook Book(int market)
    {
        _books ??= new OrderBook?[_markets.Length];
        OrderBook b = _books[market] ??= new OrderBook(Accounts.Count, _markets[market].Config.MaxOpenOrders);
        b.EnsureOwners(Accounts.Count);
        _bookMarket = market;
        return b;
    }

    /// <summary>The shared checks of every book action: market, signer, subaccount. Returns the account id or a rejection.</summary>
    private ActionResult? BookAccount(Address signer, AccountKey account, int market, out int id)
    {
        id = -1;
        if (!ValidMarket(market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {market} is not listed");
        }

        if (signer != account.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "only the owner can trade from a subaccount");
        }

        id = Accounts.Find(account);
        if (id < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {account} does not exist");
        }

        return IsProtocolAccount(id) ? Reject(ErrorCode.ProtocolAccount, "protocol accounts do not use the order book") : null;
    }

    /// <summary>Price and size checks against the market's grid.</summary>
    private ActionResult? OnGrid(int market, long price, long size)
    {
        PerpMarket m = _markets[market];
        if (price <= 0 || price % m.Config.TickSize != 0 || price / m.Config.TickSize > OrderBook.MaxPrice)
        {
            return Reject(ErrorCode.InvalidPrice, $"price must be a positive multiple of the tick {DecimalString.Format(m.Config.TickSize, Precision.PriceDecimals)}");
        }

        if (size <= 0 || size / m.Config.StepSize > OrderBook.MaxSize)
        {
            return Reject(ErrorCode.InvalidAmount, "size must be positive and at most 2^40 steps");
        }

        return size % m.Config.StepSize != 0 ? Reject(ErrorCode.SizeNotMultipleOfStep, $"size must be a multiple of the step {m.Config.StepSize} quantums") : null;
    }

    private ActionResult ApplyPlaceBookOrder(PlaceBookOrder o)
    {
        if ((BookAccount(o.Signer, o.Account, o.Market, out int id) ?? OnGrid(o.Market, o.Price, o.Size)) is { } bad)
        {
            return bad;
        }

        PerpMarket m = _markets[o.Market];
        if (!o.ReduceOnly && o.Size < MinOrderSize(m))
        {
            return Reject(ErrorCode.BelowMinimumSize, $"orders must be at least {DecimalString.Format(MinOrderSize(m), m.BaseQuantumDecimals)} {m.Config.Symbol}");
        }

        if (o.Tif == TimeInForce.GoodTilBlock && o.ExpiryBlock < Height)
        {
            return Reject(ErrorCode.InvalidTimeInForce, $"good-til-block expiry {o.ExpiryBlock} is before the current block {Height}");
        }

        if (!o.ReduceOnly)
        {
            if (m.Risk.Paused)
            {
                return Reject(ErrorCode.MarketPaused, $"{m.Config.Symbol} is paused: only reduce-only orders are accepted");
            }

            if (Accounts.ModeOf(id) == MarginMode.Isolated && OtherExposure(id, o.Market, -1) is { } other)
            {
                return Reject(ErrorCode.IsolatedExposureLimit, $"isolated subaccount {o.Account} already carries {other}");
            }

            if (RequireFeeds(id, m.Config.BaseAsset) is { } unavailable)
            {
                return unavailable;
            }
        }

        OrderBook book = Book(o.Market);
        var hooks = new BookHooks(this);
        var r = new OrderRequest(id, o.Buy ? OrderSide.Buy : OrderSide.Sell, o.Price / m.Config.TickSize, o.Size / m.Config.StepSize, o.Type, o.Tif, o.ExpiryBlock, o.ReduceOnly);
        PlaceResult p = book.Place(r, ref hooks);
        if (!p.Ok)
        {
            return BookRefusal(p.Error);
        }

        _events.Add(new BookOrderPlaced(o.Account, o.Market, p.OrderId, p.Filled * m.Config.StepSize, p.Rested * m.Config.StepSize, p.StoppedByMargin));
        return Done();
    }

    private ActionResult ApplyCancelOrder(CancelOrder c)
    {
        if (BookAccount(c.Signer, c.Account, c.Market, out int id) is { } bad)
        {
            return bad;
        }

        BookError e = _books?[c.Market] is { } book ? book.Cancel(id, c.OrderId) : BookError.UnknownOrder;
        return e == BookError.None ? Done() : BookRefusal(e);
    }

    private ActionResult ApplyCancelAllOrders(CancelAllOrders c)
    {
        if (BookAccount(c.Signer, c.Account, c.Market, out int id) is { } bad)
        {
            return bad;
        }

        _books?[c.Market]?.CancelAll(id);
        return Done();
    }

    private ActionResult ApplyReplaceOrder(ReplaceOrder c)
    {
        if ((BookAccount(c.Signer, c.Account, c.Market, out int id) ?? OnGrid(c.Market, c.Price, c.Size)) is { } bad)
        {
            return bad;
        }

        PerpMarket m = _markets[c.Market];
        if (_books?[c.Market] is null)
        {
            return BookRefusal(BookError.UnknownOrder);
        }

        OrderBook book = Book(c.Market);
        if (book.TryGet(c.OrderId, out RestingOrder old) && old.Owner == id && !(c.Price / m.Config.TickSize == old.Price && c.Size / m.Config.StepSize <= old.Remaining))
        {
            // Anything but a shrink is a new order: the same rules as placing one.
            if (m.Risk.Paused)
            {
                return Reject(ErrorCode.MarketPaused, $"{m.Config.Symbol} is paused: orders can only be cancelled or shrunk");
            }

            if (c.Size < MinOrderSize(m))
            {
                return Reject(ErrorCode.BelowMinimumSize, $"orders must be at least {DecimalString.Format(MinOrderSize(m), m.BaseQuantumDecimals)} {m.Config.Symbol}");
            }

            if (RequireFeeds(id, m.Config.BaseAsset) is { } unavailable)
            {
                return unavailable;
            }
        }

        var hooks = new BookHooks(this);
        PlaceResult p = book.Replace(id, c.OrderId, c.Price / m.Config.TickSize, c.Size / m.Config.StepSize, ref hooks);
        if (!p.Ok)
        {
            return BookRefusal(p.Error);
        }

        _events.Add(new BookOrderPlaced(c.Account, c.Market, p.OrderId, p.Filled * m.Config.StepSize, p.Rested * m.Config.StepSize, p.StoppedByMargin));
        return Done();
    }

    private static ActionResult BookRefusal(BookError e) => e switch
    {
        BookError.InvalidPrice => Reject(ErrorCode.InvalidPrice, "price is outside the book's range"),
        BookError.InvalidSize => Reject(ErrorCode.InvalidAmount, "size is outside the book's range"),
        BookError.CrossedPostOnly => Reject(ErrorCode.CrossedPostOnly, "a post-only order may not cross the book"),
        BookError.ReduceOnlyViolation => Reject(ErrorCode.ReduceOnlyViolation, "a reduce-only order needs a position on the other side"),
        BookError.OpenOrderLimit => Reject(ErrorCode.OpenOrderLimit, "the subaccount already holds the market's maximum number of resting orders"),
        BookError.UnknownOrder => Reject(ErrorCode.UnknownOrder, "no resting order has that id in this market"),
        BookError.NotOwner => Reject(ErrorCode.NotOrderOwner, "the order belongs to another subaccount"),
        BookError.FillOrKillUnfilled => Reject(ErrorCode.FillOrKillUnfilled, "the fill-or-kill order cannot be filled whole at its price within the taker's margin"),
        BookError.InvalidTimeInForce => Reject(ErrorCode.InvalidTimeInForce, "that type, time in force, expiry and reduce-only do not go together (reduce-only orders are immediate; post-only orders rest)"),
        BookError.BookFull => Reject(ErrorCode.OrderBookFull, "the market's order book is full"),
        _ => Reject(ErrorCode.InvalidParameter, $"the book refused the order ({e})"),
    };

    /// <summary>End of block: good-til-block orders whose last block this was leave every book.</summary>
    private IReadOnlyList<EngineEvent> ExpireBookOrders()
    {
        if (_books is null)
        {
            return [];
        }

        _events.Clear();
        for (int market = 0; market < _books.Length; market++)
        {
            if (_books[market] is { } b)
            {
                _bookMarket = market;
                var hooks = new BookHooks(this);
                b.Expire(Height + 1, ref hooks);
            }
        }

        return TakeEvents();
    }

    /// <summary>Opens the book section ("BOOK", version 1), so a snapshot says which sections follow the accounts.</summary>
    private const long BookSectionTag = 0x424F_4F4B_0000_0001;

    /// <summary>Whether any book ever accepted an order: only then is the book section part of the state.</summary>
    private bool BooksInState()
    {
        if (_books is null)
        {
            return false;
        }

        foreach (OrderBook? b in _books)
        {
            if (b is { Sequence: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The book section of the canonical encoding, written last and only once some book has accepted an
    /// order, so every venue that never used a book keeps its encoding and roots.
    /// </summary>
    private void WriteBooksCanonical(CanonicalWriter w)
    {
        if (!BooksInState())
        {
            return;
        }

        w.WriteI64(BookSectionTag);
        w.WriteI64(_markets.Length);
        for (int market = 0; market < _markets.Length; market++)
        {
            Book(market).WriteCanonical(w);
        }
    }

    private void ReadBooksCanonical(ref CanonicalReader r)
    {
        // Anything else after the last section is left for the caller to refuse as trailing bytes.
        CanonicalReader probe = r;
        if (r.Remaining < 8 || probe.ReadI64() != BookSectionTag)
        {
            return;
        }

        r.ReadI64();
        if (r.ReadCount(_markets.Length, "book") != _markets.Length)
        {
            throw new InvalidSnapshotException("the snapshot lists a different number of order books than markets");
        }

        _books = new OrderBook?[_markets.Length];
        for (int market = 0; market < _markets.Length; market++)
        {
            _books[market] = OrderBook.ReadCanonical(ref r, Accounts.Count, _markets[market].Config.MaxOpenOrders, Height);
        }
    }
}
