using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Perps.Book;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// One owner with three subaccounts trades with itself through the order book, with a maker rebate
/// (−0.02%) as large as it may be against a 0.05% taker fee, at prices anywhere within ±$15 of the $100
/// index (the band is ±$10). Nothing outside the owner moves, so its subaccounts' total equity at the
/// index may never rise above what it deposited, and the fee pool may never fall; no fill may lie
/// outside the band.
/// </summary>
public class BookWashTradeTests
{
    private const int Owner = 7;

    private static Config.Genesis Venue() =>
        Config.GenesisLoader.Parse(Json().Replace("\"takerFee\": \"0\"", "\"takerFee\": \"0.0005\", \"makerFee\": \"-0.0005\""));

    internal readonly record struct Op(uint Maker, uint Taker, bool MakerSells, int Cents, int Size, int Kind);

    private static readonly Gen<Op[]> GenOps =
        Gen.Select(Gen.UInt[0, 2], Gen.UInt[0, 2], Gen.Bool, Gen.Int[-1500, 1500], Gen.Int[1, 5000], Gen.Int[0, 9])
           .Select(t => new Op(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6)).Array[1, 60];

    [Fact]
    public void Wash_trading_with_the_largest_rebate_never_profits_and_never_leaves_the_band()
    {
        GenOps.Sample(Run, iter: 300, threads: 1, print: o => string.Join(" ", o.Select(x => x.ToString())));
    }

    private static void Run(Op[] ops)
    {
        var e = new Engine(Venue());
        long deposited = 0;
        for (uint s = 0; s < 3; s++)
        {
            Assert.True(e.Apply(new Deposit(User(Owner), Acct(Owner, s), Usdc, Usd("10000"))).Ok);
            deposited += Usd("10000");
        }

        long index = e.Pools[Tst].Price, band = e.Markets[Perp].Risk.FillPriceBand;
        foreach (Op op in ops)
        {
            long price = Px("100") + (op.Cents * 1_000_000L);
            long size = op.Size * 1_000_000L;
            var rest = new PlaceBookOrder(User(Owner), Acct(Owner, op.Maker), Perp, !op.MakerSells, price, size, op.Kind == 0 ? OrderType.PostOnly : OrderType.Limit, TimeInForce.Gtc, 0, false);
            e.Apply(rest);
            var take = new PlaceBookOrder(User(Owner), Acct(Owner, op.Taker), Perp, op.MakerSells, price, size * (1 + (op.Kind % 3)), op.Kind == 1 ? OrderType.FillOrKill : OrderType.Market, TimeInForce.Ioc, 0, false);
            long poolBefore = e.Markets[Perp].FeePool;
            ActionResult r = e.Apply(take);
            foreach (Traded t in r.Events.OfType<Traded>())
            {
                // |quote| × divisor within band of index × |size|: the same test the engine applies.
                Assert.True(Perps.FillPriceBand.Contains(t.Quote, t.Size, index, e.Pools[Tst].ValueDivisor, band), $"fill {t} outside the band");
            }

            Assert.True(e.Markets[Perp].FeePool >= poolBefore, "a fill paid out more than it took in");
            if (op.Kind == 9)
            {
                e.Apply(new CancelAllOrders(User(Owner), Acct(Owner, op.Maker), Perp));
            }

            Int128 equity = 0;
            for (uint s = 0; s < 3; s++)
            {
                equity += e.HealthOf(e.Accounts.Find(Acct(Owner, s))).Equity;
            }

            Assert.True(equity <= deposited, $"the owner's equity {equity} exceeds its deposits {deposited}");
            Assert.True(e.BookOf(Perp) is not { } b || b.IsUncrossed);
            AssertLedgers(e, deposited);
        }
    }
}
