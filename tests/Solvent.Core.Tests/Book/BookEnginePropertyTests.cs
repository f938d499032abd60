using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Events;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Book;

/// <summary>
/// Random order-book streams through the engine, in blocks: places of every type and time in force,
/// cancels, cancel-alls, replaces and withdrawals (which leave resting makers unmarginable), by four
/// traders with anywhere from $50 to $5,000. After every action: the book is not crossed, sizes are
/// zero-sum and the market and quote-asset ledgers balance, and every account a fill grew is at initial
/// health ≥ 0. After every block, a second engine that applies the same blocks reaches the same root, and
/// at the end a snapshot restores to that root.
/// </summary>
public class BookEnginePropertyTests
{
    internal readonly record struct Op(int Kind, int User, bool Buy, int HalfDollars, int Size, OrderType Type, TimeInForce Tif, int Expiry, int Pick);

    private static readonly Gen<OrderType> GenType = Gen.Frequency(
        (6, Gen.Const(OrderType.Limit)), (2, Gen.Const(OrderType.Market)), (2, Gen.Const(OrderType.PostOnly)), (1, Gen.Const(OrderType.FillOrKill)));

    private static readonly Gen<TimeInForce> GenTif = Gen.Frequency(
        (5, Gen.Const(TimeInForce.Gtc)), (2, Gen.Const(TimeInForce.Ioc)), (2, Gen.Const(TimeInForce.GoodTilBlock)));

    private static readonly Gen<Op> GenOp =
        Gen.Select(Gen.Frequency((10, Gen.Const(0)), (2, Gen.Const(1)), (1, Gen.Const(2)), (2, Gen.Const(3)), (1, Gen.Const(4)), (2, Gen.Const(5))), Gen.Int[1, 4], Gen.Bool, Gen.Int[-24, 24], Gen.Int[1, 60])
           .SelectMany(a => Gen.Select(GenType, GenTif, Gen.Int[0, 2], Gen.Int[0, 1000])
           .Select(b => new Op(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, b.Item1, b.Item2, b.Item3, b.Item4)));

    private static readonly Gen<(int[] Funds, Op[] Ops)> GenCase = Gen.Select(Gen.Int[50, 5000].Array[4], GenOp.Array[5, 120]);

    private static Config.Genesis Venue() =>
        Config.GenesisLoader.Parse(Json(", \"maxOpenOrders\": 6").Replace("\"takerFee\": \"0\"", "\"takerFee\": \"0.0005\", \"makerFee\": \"-0.0002\""));

    [Fact]
    public void Book_invariants_hold_after_every_action_and_replay_equals_the_root()
    {
        GenCase.Sample(c => Run(c.Funds, c.Ops), iter: 150, threads: 1, print: c => $"funds [{string.Join(",", c.Funds)}] " + string.Join(" ", c.Ops.Select(o => o.ToString())));
    }

    private static void Run(int[] funds, Op[] ops)
    {
        Config.Genesis g = Venue();
        var e = new Engine(g);
        var replay = new Engine(g);
        long cash = 0, time = g.GenesisTime;
        var block = new List<EngineAction>();
        void Commit(Engine engine, List<EngineAction> actions, Action<EngineAction, ActionResult>? check)
        {
            time += 2;
            engine.SimulateBlock(time);
            foreach (EngineAction a in actions)
            {
                ActionResult r = engine.Apply(a);
                check?.Invoke(a, r);
            }

            engine.EndBlock();
        }

        var first = new List<EngineAction>();
        for (int u = 1; u <= 4; u++)
        {
            first.Add(new Deposit(User(u), Acct(u), Usdc, Usd(funds[u - 1].ToString())));
            cash += Usd(funds[u - 1].ToString());
        }

        Commit(e, first, null);
        BlockResult r0 = replay.Apply(new Block(new BlockHeader(1, time, replay.LastRoot), first));
        Assert.Equal(e.ComputeStateRoot(), r0.StateRoot);

        long maxId = 1;
        void Check(EngineAction a, ActionResult r)
        {
            if (a is Withdraw w && r.Ok)
            {
                cash -= w.Amount;
            }

            if (r.Events.OfType<BookOrderPlaced>().LastOrDefault() is { OrderId: > 0 } placed)
            {
                maxId = System.Math.Max(maxId, placed.OrderId);
            }

            Assert.True(e.BookOf(Perp) is not { } b || b.IsUncrossed, "book crossed");
            AssertLedgers(e, cash);
            foreach (Traded t in r.Events.OfType<Traded>())
            {
                int id = e.Accounts.Find(t.Account);
                if (System.Math.Abs(t.NewSize) > System.Math.Abs(t.NewSize - t.Size))
                {
                    // This fill grew the position: it had to leave initial health ≥ 0, and nothing later in the action lowers it.
                    Assert.True(e.HealthOf(id).InitialHealth >= 0 || System.Math.Abs(e.Accounts.Size(id, Perp)) < System.Math.Abs(t.NewSize), $"{t.Account} grew to {t.NewSize} below initial margin");
                }
            }
        }

        foreach (Op op in ops)
        {
            long price = Px("100") + (op.HalfDollars * 50_000_000L);
            long size = op.Size * 100_000_000L;
            AccountKey acct = Acct(op.User);
            Address user = User(op.User);
            EngineAction a = op.Kind switch
            {
                0 => new PlaceBookOrder(user, acct, Perp, op.Buy, price, size, op.Type, op.Tif, e.Height + 1 + op.Expiry, op.Pick % 5 == 0),
                1 => new CancelOrder(user, acct, Perp, 1 + (op.Pick % (maxId + 2))),
                2 => new CancelAllOrders(user, acct, Perp),
                3 => new ReplaceOrder(user, acct, Perp, 1 + (op.Pick % (maxId + 2)), price, size),
                _ => new Withdraw(user, acct, Usdc, Usd((op.Size * 5).ToString())),
            };
            block.Add(a);
            if (op.Kind == 5 || op.Pick % 4 == 0)
            {
                Commit(e, block, Check);
                BlockResult br = replay.Apply(new Block(new BlockHeader(replay.Height + 1, time, replay.LastRoot), [.. block]));
                Assert.Equal(e.ComputeStateRoot(), br.StateRoot);
                block.Clear();
            }
        }

        byte[] root = e.ComputeStateRoot();
        Engine restored = Engine.RestoreSnapshot(g, e.SaveSnapshot(), root);
        Assert.Equal(root, restored.ComputeStateRoot());
    }
}
