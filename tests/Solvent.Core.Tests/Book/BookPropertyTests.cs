using CsCheck;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;

namespace Solvent.Core.Tests.Book;

/// <summary>
/// The order book against <see cref="ReferenceBook"/> on random streams of places (every type and time in
/// force, reduce-only, near and crossing prices), cancels (own, foreign, filled, unknown), cancel-alls,
/// replaces and block advances, with a toy margin model that removes makers and stops takers. After every
/// operation: the same result, the same fills and removals in the same order, the same resting book in
/// priority order, never crossed, positions zero-sum, level depths equal to their orders; every few
/// operations the book is swapped for one decoded from its canonical encoding.
/// </summary>
public class BookPropertyTests
{
    private const int Owners = 6;
    private const int MaxOpen = 8;

    internal readonly record struct Op(int Kind, int Owner, OrderSide Side, long Price, long Size, OrderType Type, TimeInForce Tif, int Expiry, bool ReduceOnly, int Pick);

    private static readonly Gen<OrderType> GenType = Gen.Frequency(
        (6, Gen.Const(OrderType.Limit)), (2, Gen.Const(OrderType.Market)), (2, Gen.Const(OrderType.PostOnly)), (2, Gen.Const(OrderType.FillOrKill)));

    private static readonly Gen<TimeInForce> GenTif = Gen.Frequency(
        (5, Gen.Const(TimeInForce.Gtc)), (2, Gen.Const(TimeInForce.Ioc)), (3, Gen.Const(TimeInForce.GoodTilBlock)));

    private static readonly Gen<Op> GenOp =
        Gen.Select(Gen.Frequency((12, Gen.Const(0)), (3, Gen.Const(1)), (1, Gen.Const(2)), (3, Gen.Const(3)), (2, Gen.Const(4))), Gen.Int[0, Owners - 1], Gen.Bool, Gen.Long[95, 105], Gen.Long[1, 12])
           .SelectMany(a => Gen.Select(GenType, GenTif, Gen.Int[-1, 3], Gen.Int[0, 9], Gen.Int[0, 1000])
           .Select(b => new Op(a.Item1, a.Item2, a.Item3 ? OrderSide.Buy : OrderSide.Sell, a.Item4, a.Item5, b.Item1, b.Item2, b.Item3, b.Item4 == 0, b.Item5)));

    internal static readonly Gen<(long[] Limits, long BandLow, long BandHigh, Op[] Ops)> GenCase =
        Gen.Select(Gen.Long[0, 40].Array[Owners], Gen.Long[90, 98], Gen.Long[102, 110], GenOp.Array[1, 150]);

    [Fact]
    public void Book_equals_the_reference_matcher_on_random_streams()
    {
        GenCase.Sample(c => Run(c.Limits, c.BandLow, c.BandHigh, c.Ops), iter: 3000, threads: 1,
            print: c => $"limits [{string.Join(",", c.Limits)}] band {c.BandLow}-{c.BandHigh} ops " + string.Join(" ", c.Ops.Select(o => o.ToString())));
    }

    private static byte[] Encode(OrderBook book)
    {
        var sink = new ByteBuffer(256);
        var w = new CanonicalWriter(sink);
        book.WriteCanonical(w);
        w.Flush();
        return sink.ToArray();
    }

    internal static void Run(long[] limits, long bandLow, long bandHigh, Op[] ops)
    {
        var book = new OrderBook(Owners, MaxOpen, capacity: 16);
        var reference = new ReferenceBook(MaxOpen);
        var idToSeq = new Dictionary<long, long>();
        var seqToId = new Dictionary<long, long>();
        var bm = new TestMargins((long[])limits.Clone()) { BandLow = bandLow, BandHigh = bandHigh, SeqOf = id => idToSeq[id] };
        var rm = new TestMargins((long[])limits.Clone()) { BandLow = bandLow, BandHigh = bandHigh };
        var hooks = new TestHooks(bm);
        var seqs = new List<long>();
        long block = 0;

        void Record(PlaceResult r)
        {
            if (r.OrderId != 0 && !idToSeq.ContainsKey(r.OrderId))
            {
                idToSeq[r.OrderId] = book.Sequence;
                seqToId[book.Sequence] = r.OrderId;
            }

            if (r.Ok)
            {
                seqs.Add(book.Sequence);
            }
        }

        foreach (Op op in ops)
        {
            string step = op.ToString();
            switch (op.Kind)
            {
                case 0:
                    {
                        var r = new OrderRequest(op.Owner, op.Side, op.Price, op.Size, op.Type, op.Tif, block + op.Expiry, op.ReduceOnly && op.Type is OrderType.Market or OrderType.FillOrKill);
                        PlaceResult got = book.Place(r, ref hooks);
                        var want = reference.Place(r, rm, Owners);
                        Record(got);
                        Assert.True(want.Error == got.Error, $"{step}: {got} vs {want}");
                        Assert.Equal((want.Filled, want.Rested, want.Stopped), (got.Filled, got.Rested, got.StoppedByMargin));
                        Assert.Equal(want.Seq, got.OrderId == 0 ? 0 : idToSeq[got.OrderId]);
                        break;
                    }

                case 1:
                case 3:
                    {
                        // A known arrival (resting, filled or cancelled) or a made-up id; its owner or another.
                        long seq = seqs.Count == 0 || op.Pick % 10 == 0 ? 10_000 + op.Pick : seqs[op.Pick % seqs.Count];
                        ReferenceBook.Order? target = reference.Orders.Find(o => o.Seq == seq);
                        int owner = target is not null && op.Pick % 4 != 0 ? target.Owner : op.Owner;
                        long id = seqToId.TryGetValue(seq, out long known) ? known : seq;
                        if (op.Kind == 1)
                        {
                            Assert.Equal(reference.Cancel(owner, seq), book.Cancel(owner, id));
                        }
                        else
                        {
                            PlaceResult got = book.Replace(owner, id, op.Price, op.Size, ref hooks);
                            var want = reference.Replace(owner, seq, op.Price, op.Size, rm, Owners);
                            Record(got);
                            Assert.True(want.Error == got.Error, $"{step}: {got} vs {want}");
                            Assert.Equal((want.Filled, want.Rested, want.Stopped), (got.Filled, got.Rested, got.StoppedByMargin));
                            Assert.Equal(want.Seq, got.OrderId == 0 ? 0 : idToSeq[got.OrderId]);
                        }

                        break;
                    }

                case 2:
                    Assert.Equal(reference.CancelAll(op.Owner), book.CancelAll(op.Owner));
                    break;
                default:
                    block += op.Pick % 3;
                    Assert.Equal(reference.Expire(block, rm), book.Expire(block, ref hooks));
                    break;
            }

            if (op.Pick % 7 == 0)
            {
                // Carry on with a book restored from the canonical encoding: it must decide exactly as the original.
                byte[] bytes = Encode(book);
                var reader = new CanonicalReader(bytes);
                book = OrderBook.ReadCanonical(ref reader, Owners, MaxOpen, block);
                Assert.Equal(0, reader.Remaining);
                Assert.Equal(bytes, Encode(book));
            }

            Assert.Equal(rm.Events, bm.Events);
            Assert.Equal(rm.Pos, bm.Pos);
            Assert.Equal(0, bm.Pos.Sum());
            Assert.True(book.IsUncrossed, $"crossed after {step}: {book.BestBid} ≥ {book.BestAsk}");
            Assert.Equal(reference.Orders.Count, book.Count);
            foreach (OrderSide side in new[] { OrderSide.Buy, OrderSide.Sell })
            {
                var want = reference.Side(side).Select(o => (o.Seq, o.Owner, o.Price, o.Remaining, o.Type, o.Tif, o.Expiry)).ToList();
                var got = book.Resting(side).Select(o => (idToSeq[o.Id], o.Owner, o.Price, o.Remaining, o.Type, o.Tif, o.ExpiryBlock)).ToList();
                Assert.Equal(want, got);
                foreach (var level in want.GroupBy(o => o.Price))
                {
                    Assert.Equal(level.Sum(o => o.Remaining), book.DepthAt(side, level.Key));
                }

                Assert.Equal(want.Select(o => o.Price).Distinct().Count(), book.Levels(side));
            }

            for (int o = 0; o < Owners; o++)
            {
                Assert.Equal(reference.Orders.Count(x => x.Owner == o), book.OpenOrders(o));
            }
        }
    }
}
