using System.Diagnostics;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;

namespace Solvent.Cli.Bench;

/// <summary>
/// The order book through <see cref="Engine.Apply(EngineAction)"/> on the example genesis' ETH-PERP: the
/// engine's exact margin check of both sides of every fill, fees, the oracle band and position commits.
/// Orders rest within ±2% of the $3,000 index (inside the 10% band) in 0.01–0.1 ETH; accounts hold
/// $1M each. One cycle: a passive order, a cancel of a random resting order, and an IOC taker of
/// 0.01–0.1 ETH against the touch (three operations).
/// </summary>
internal sealed class EngineBookWorkload
{
    private const int Market = 0;
    private const long Tick = 1_000_000, Step = 1_000_000, Index = 300_000;
    private readonly Engine _e;
    private readonly AccountKey[] _keys;
    private readonly List<long> _live = [];
    private readonly Dictionary<long, int> _ownerOf = [];
    private ulong _rng = 0x9E3779B97F4A7C15UL;
    private int _cycle;

    public EngineBookWorkload(string genesisPath, int orders, int accounts)
    {
        _e = new Engine(SyntheticBook.Genesis(genesisPath));
        _keys = new AccountKey[accounts];
        for (int i = 0; i < accounts; i++)
        {
            _keys[i] = new AccountKey(SyntheticBook.User(i), 0);
            _e.Apply(new Deposit(_keys[i].Owner, _keys[i], 0, 1_000_000_000_000));
        }

        while (_live.Count < orders)
        {
            Passive();
        }
    }

    public int Resting => _e.BookOf(Market)?.Count ?? 0;

    private ulong Next(ulong n)
    {
        _rng ^= _rng >> 12;
        _rng ^= _rng << 25;
        _rng ^= _rng >> 27;
        return (_rng * 2685821657736338717UL) % n;
    }

    private void Passive()
    {
        bool buy = (_cycle++ & 1) == 0;
        long ticks = buy ? Index - 1 - (long)Next(6_000) : Index + 1 + (long)Next(6_000);
        int a = (int)Next((ulong)_keys.Length);
        ActionResult r = _e.Apply(new PlaceBookOrder(_keys[a].Owner, _keys[a], Market, buy, ticks * Tick, (10 + (long)Next(91)) * Step, OrderType.PostOnly, TimeInForce.Gtc, 0, false));
        Track(r, a);
    }

    private void Track(ActionResult r, int a)
    {
        foreach (EngineEvent ev in r.Events)
        {
            if (ev is BookOrderPlaced { OrderId: > 0 } p)
            {
                _live.Add(p.OrderId);
                _ownerOf[p.OrderId] = a;
            }
        }
    }

    private void Cancel()
    {
        // Orders filled meanwhile are skipped here, outside the engine, so every timed cancel hits.
        while (_live.Count > 0)
        {
            int i = (int)Next((ulong)_live.Count);
            long id = _live[i];
            _live[i] = _live[^1];
            _live.RemoveAt(_live.Count - 1);
            int a = _ownerOf[id];
            _ownerOf.Remove(id);
            if (_e.BookOf(Market)!.TryGet(id, out _))
            {
                _e.Apply(new CancelOrder(_keys[a].Owner, _keys[a], Market, id));
                return;
            }
        }
    }

    private void Take()
    {
        OrderBook b = _e.BookOf(Market)!;
        bool buy = (_cycle & 2) == 0;
        long touch = buy ? b.BestAsk : b.BestBid;
        int a = (int)Next((ulong)_keys.Length);
        long limit = buy ? touch + 50 : touch - 50;
        _e.Apply(new PlaceBookOrder(_keys[a].Owner, _keys[a], Market, buy, limit * Tick, (10 + (long)Next(91)) * Step, OrderType.Market, TimeInForce.Ioc, 0, false));
    }

    /// <summary>Runs cycles; returns (ops/s, allocated bytes per op, p99 of the taker in µs).</summary>
    public (double OpsPerSec, double BytesPerOp, double TakeP99Us) Measure(int cycles)
    {
        var ticks = new long[cycles];
        long bytes0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < cycles; i++)
        {
            Passive();
            Cancel();
            long s = Stopwatch.GetTimestamp();
            Take();
            ticks[i] = Stopwatch.GetTimestamp() - s;
        }

        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
        Array.Sort(ticks);
        return (3.0 * cycles / seconds, (double)bytes / (3.0 * cycles), ticks[(int)(cycles * 0.99)] * 1e6 / Stopwatch.Frequency);
    }
}
