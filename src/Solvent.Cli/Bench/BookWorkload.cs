using System.Diagnostics;
using Solvent.Core.Perps.Book;

namespace Solvent.Cli.Bench;

/// <summary>
/// The order-book benchmark: a book of <c>orders</c> resting orders over <c>accounts</c> accounts, then
/// cycles of five operations — passive orders resting somewhere in 2,000 ticks behind the touch, cancels of
/// random earlier orders (see <see cref="PlaceAndCancel"/>), and an IOC taker of 1–10 steps against the
/// touch — with margin checks on both sides of every fill. The book stays near its starting size.
/// </summary>
public sealed class BookWorkload
{
    private const long Mid = 1_000_000;
    private const int Depth = 2_000;
    private readonly OrderBook _book;
    private BookMarginHooks _hooks;
    private readonly LiveOrders _live;
    private readonly int _accounts;
    private ulong _rng;
    private int _cycle;
    private readonly int _target;

    /// <summary>Builds the starting book.</summary>
    public BookWorkload(int orders, int accounts, ulong seed = 1)
    {
        _accounts = accounts;
        _rng = seed | 1;
        var collateral = new long[accounts];
        Array.Fill(collateral, 1_000_000_000_000L);
        _live = new LiveOrders(orders * 2);
        _hooks = new BookMarginHooks(collateral, new long[accounts], new long[accounts], _live);
        _book = new OrderBook(accounts, maxOpenOrdersPerOwner: 256, capacity: System.Math.Max(1024, orders * 2));
        _target = orders;
        for (int i = 0; i < orders; i++)
        {
            bool bid = (i & 1) == 0;
            long price = bid ? Mid - 1 - (long)Next(Depth) : Mid + 1 + (long)Next(Depth);
            PlaceResult r = _book.Place(new OrderRequest((int)Next((ulong)accounts), bid ? OrderSide.Buy : OrderSide.Sell, price, 1 + (long)Next(10)), ref _hooks);
            if (r.OrderId != 0)
            {
                _live.Add(r.OrderId);
            }
        }
    }

    /// <summary>The book under test.</summary>
    public OrderBook Book => _book;

    /// <summary>Fills made so far.</summary>
    public long Fills => _hooks.Fills;

    /// <summary>Cancels that found their order still resting.</summary>
    public long CancelHits { get; private set; }

    /// <summary>Cancels sent.</summary>
    public long Cancels { get; private set; }

    private ulong Next(ulong n)
    {
        // xorshift64*: cheap, and the same stream every run.
        _rng ^= _rng >> 12;
        _rng ^= _rng << 25;
        _rng ^= _rng >> 27;
        return (_rng * 2685821657736338717UL) % n;
    }

    /// <summary>
    /// A passive order and a cancel of a random earlier one, then a second passive order while the book is
    /// below its starting size or a second cancel while it is not, so takers and cancels keep it near that
    /// size (four operations).
    /// </summary>
    public void PlaceAndCancel()
    {
        PlacePassive((_cycle & 1) == 0);
        Cancel();
        if (_book.Count < _target)
        {
            PlacePassive((_cycle & 1) != 0);
        }
        else
        {
            Cancel();
        }
    }

    private void PlacePassive(bool buy)
    {
        long touch = buy ? _book.BestAsk : _book.BestBid;
        long price = buy ? (touch == 0 ? Mid : touch) - 1 - (long)Next(Depth) : (touch == 0 ? Mid : touch) + 1 + (long)Next(Depth);
        PlaceResult r = _book.Place(new OrderRequest((int)Next((ulong)_accounts), buy ? OrderSide.Buy : OrderSide.Sell, price, 1 + (long)Next(10)), ref _hooks);
        if (r.OrderId != 0)
        {
            _live.Add(r.OrderId);
        }
    }

    private void Cancel()
    {
        if (_live.Count == 0)
        {
            return;
        }

        long victim = _live[(int)Next((ulong)_live.Count)];
        Cancels++;
        if (_book.Cancel(OwnerOf(victim), victim) == BookError.None)
        {
            _live.Remove(victim);
            CancelHits++;
        }
    }

    private int OwnerOf(long id) => _book.TryGet(id, out RestingOrder o) ? o.Owner : 0;

    /// <summary>One IOC taker against the touch, alternating sides (one operation); returns steps filled.</summary>
    public long Match()
    {
        bool buy = (_cycle++ & 1) == 0;
        long touch = buy ? _book.BestAsk : _book.BestBid;
        if (touch == 0)
        {
            return 0;
        }

        long limit = buy ? touch + 5 : touch - 5;
        var r = new OrderRequest((int)Next((ulong)_accounts), buy ? OrderSide.Buy : OrderSide.Sell, limit, 1 + (long)Next(10), OrderType.Limit, TimeInForce.Ioc);
        return _book.Place(r, ref _hooks).Filled;
    }

    /// <summary>Runs <paramref name="cycles"/> cycles (5 operations each), timing every match into <paramref name="matchTicks"/> when given.</summary>
    public void Run(int cycles, long[]? matchTicks)
    {
        for (int i = 0; i < cycles; i++)
        {
            PlaceAndCancel();
            if (matchTicks is null)
            {
                Match();
            }
            else
            {
                long t0 = Stopwatch.GetTimestamp();
                Match();
                matchTicks[i] = Stopwatch.GetTimestamp() - t0;
            }
        }
    }
}
