using Solvent.Core.Perps.Book;

namespace Solvent.Core.Tests.Book;

/// <summary>
/// A toy margin model both matchers share: each owner may hold at most <see cref="Limit"/> steps of
/// position either way, and fills must lie inside a price band. A maker that would pass its limit is
/// removed; a taker that would stops. Previewed fills count as if made, as the hook contract asks.
/// </summary>
internal sealed class TestMargins
{
    public readonly long[] Pos;
    public readonly long[] Limit;
    private readonly long[] _preview;
    public long BandLow;
    public long BandHigh = long.MaxValue;
    public readonly List<BookEvent> Events = [];

    /// <summary>Maps a removed or filled order id to its arrival number (the book's ids are slots, the reference's are not).</summary>
    public Func<long, long> SeqOf = id => id;

    public TestMargins(long[] limits)
    {
        Limit = limits;
        Pos = new long[limits.Length];
        _preview = new long[limits.Length];
    }

    public TestMargins Clone()
    {
        var c = new TestMargins((long[])Limit.Clone()) { BandLow = BandLow, BandHigh = BandHigh, SeqOf = SeqOf };
        Array.Copy(Pos, c.Pos, Pos.Length);
        return c;
    }

    public static long Signed(OrderSide takerSide, long size) => takerSide == OrderSide.Buy ? size : -size;

    public FillCheck Check(int taker, int maker, OrderSide side, long price, long size)
    {
        long d = Signed(side, size);
        if (System.Math.Abs(Pos[maker] + _preview[maker] - d) > Limit[maker])
        {
            return FillCheck.RemoveMaker;
        }

        if (price < BandLow || price > BandHigh || System.Math.Abs(Pos[taker] + _preview[taker] + d) > Limit[taker])
        {
            return FillCheck.StopTaker;
        }

        return FillCheck.Fill;
    }

    public void Preview(int taker, int maker, OrderSide side, long size)
    {
        long d = Signed(side, size);
        _preview[taker] += d;
        _preview[maker] -= d;
    }

    public void EndPreview() => Array.Clear(_preview);

    public void Filled(long makerSeq, int maker, int taker, OrderSide side, long price, long size, long makerRemaining)
    {
        long d = Signed(side, size);
        Pos[taker] += d;
        Pos[maker] -= d;
        Events.Add(new BookEvent(true, makerSeq, maker, taker, side, price, size, makerRemaining, default));
    }

    public void Removed(long makerSeq, int owner, RemovalReason reason) =>
        Events.Add(new BookEvent(false, makerSeq, owner, -1, default, 0, 0, 0, reason));
}

/// <summary>The <see cref="OrderBook"/>'s view of <see cref="TestMargins"/>.</summary>
internal readonly struct TestHooks(TestMargins m) : IMatchHooks
{
    public long Position(int owner) => m.Pos[owner];

    public FillCheck Check(int taker, int maker, OrderSide takerSide, long price, long size) => m.Check(taker, maker, takerSide, price, size);

    public void Preview(int taker, int maker, OrderSide takerSide, long price, long size) => m.Preview(taker, maker, takerSide, size);

    public void EndPreview() => m.EndPreview();

    public void Filled(in BookFill f) => m.Filled(m.SeqOf(f.MakerOrder), f.Maker, f.Taker, f.TakerSide, f.Price, f.Size, f.MakerRemaining);

    public void Removed(long orderId, int owner, RemovalReason reason) => m.Removed(m.SeqOf(orderId), owner, reason);
}
