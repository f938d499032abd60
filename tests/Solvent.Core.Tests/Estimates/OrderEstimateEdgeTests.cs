using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Perps;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Estimates;

/// <summary>
/// The order checks' shortcuts at the very edge of each rule, where a bound that is off by a few units
/// would show: for a random account (collateral asset, accrued interest and funding, a position at a loss
/// or a gain), a binary search with exact checks only finds the debt at which a reducing order turns from
/// accepted to OrderWouldBankrupt, and the collateral at which an opening order turns from
/// InitialHealthViolated to accepted; around each edge the engine with its shortcuts gives the same
/// result, message and state root.
/// </summary>
public class OrderEstimateEdgeTests
{
    private static readonly Genesis Venue = ExampleGenesis();

    internal readonly record struct Case(int Market, int Collateral, int Days, int SizeUsd, bool Long, int MovePermille, int Part);

    private static readonly Gen<Case> GenCase =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 4], Gen.Int[0, 400], Gen.Int[200, 200_000], Gen.Bool, Gen.Int[0, 300], Gen.Int[1, 1000])
           .Select(t => new Case(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7));

    [Fact]
    public void Reducing_orders_at_the_bankruptcy_edge_agree()
    {
        int edges = 0;
        GenCase.Sample(
            c =>
            {
                if (Edge(c, reducing: true))
                {
                    edges++;
                }
            },
            iter: 80,
            threads: 1);
        Assert.True(edges > 60, $"only {edges} cases had an edge");
    }

    [Fact]
    public void Opening_orders_at_the_initial_health_edge_agree()
    {
        int edges = 0;
        GenCase.Sample(
            c =>
            {
                if (Edge(c, reducing: false))
                {
                    edges++;
                }
            },
            iter: 80,
            threads: 1);
        Assert.True(edges > 60, $"only {edges} cases had an edge");
    }

    /// <summary>Finds the edge in the searched amount with exact checks, then compares both engines around it; false when the case has no edge.</summary>
    private static bool Edge(Case c, bool reducing)
    {
        // Reducing: debt grows until refused. Opening: collateral grows until accepted.
        ErrorCode refused = reducing ? ErrorCode.OrderWouldBankrupt : ErrorCode.InitialHealthViolated;
        bool Refused(long x) => Try(c, reducing, x, exact: true).Result.Code == refused;
        long lo = 1, hi = 1L << 50;
        if (Refused(lo) == reducing || Refused(hi) != reducing)
        {
            return false;
        }

        while (hi - lo > 1)
        {
            long mid = lo + ((hi - lo) / 2);
            if (Refused(mid) == reducing)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        for (long x = lo - 3; x <= hi + 3; x++)
        {
            (ActionResult exact, byte[] exactRoot) = Try(c, reducing, x, exact: true);
            (ActionResult fast, byte[] fastRoot) = Try(c, reducing, x, exact: false);
            Assert.Equal(exact.Code, fast.Code);
            Assert.Equal(exact.Message, fast.Message);
            Assert.Equal(exactRoot, fastRoot);
        }

        return true;
    }

    private static (ActionResult Result, byte[] Root) Try(Case c, bool reducing, long x, bool exact)
    {
        var e = new Engine(Venue) { ExactChecksOnly = exact };
        PerpMarket m = e.Markets[c.Market];
        int baseAsset = m.Config.BaseAsset;
        Assert.True(e.Apply(new UpdateMarketRisk(Gov, c.Market, m.Risk with { FillPriceBand = PerpRiskParams.MaxFillPriceBand, OpenInterestCap = 0 })).Ok);

        // Borrowing and idle time move every index off one ray and the funding index off zero.
        for (int a = 0; a < e.Pools.Length; a++)
        {
            e.ImportBalance(Acct(100), MarginMode.Cross, a, Worth(e, a, 40_000_000));
            e.ImportBalance(Acct(101), MarginMode.Cross, a, -Worth(e, a, 30_000_000));
        }

        e.ImportBalance(Acct(101), MarginMode.Cross, 2, Worth(e, 2, 1_000_000_000));
        e.ImportPosition(Acct(102), MarginMode.Cross, c.Market, SizeOf(e, c.Market, 1_000_000) * (c.Long ? -1 : 1), 0);
        e.AdvanceTo(e.Time + (c.Days * 86_400L));

        long step = m.Config.StepSize;
        long size = System.Math.Max(SizeOf(e, c.Market, c.SizeUsd) / step * step, step * 10) * (c.Long ? 1 : -1);
        AccountKey me = Acct(1);
        long order;
        if (reducing)
        {
            e.ImportBalance(me, MarginMode.Cross, c.Collateral, Worth(e, c.Collateral, c.SizeUsd / 10));
            e.ImportBalance(me, MarginMode.Cross, 0, -x);
            long quote = -(long)FundingMath.FloorDiv((Int128)size * e.Pools[baseAsset].Price, e.Pools[baseAsset].ValueDivisor);
            e.ImportPosition(me, MarginMode.Cross, c.Market, size, quote);
            long part = System.Math.Abs(size) / 1000 * c.Part / step * step;
            order = part < System.Math.Max(m.Risk.MinOrderSize, step) || System.Math.Abs(size) - part < m.Risk.MinOrderSize ? -size : (c.Long ? -part : part);
        }
        else
        {
            e.ImportBalance(me, MarginMode.Cross, c.Collateral, x);
            order = size;
        }

        // The index moves away from the untouched AMM mark so the fill is worse than the index: in the
        // position's favour before a reducing order (which then lowers equity), against it before an opening one.
        long p = e.Pools[baseAsset].Price;
        int move = System.Math.Abs(c.MovePermille) * (c.Long == reducing ? 1 : -1);
        e.ImportPrice(baseAsset, System.Math.Max(1, p + (p / 1000 * move)));
        ActionResult r = e.Apply(new PlaceOrder(me.Owner, me, c.Market, order, 0, false));
        return (r, e.ComputeStateRoot());
    }

    private static long Worth(Engine e, int asset, long usd) =>
        checked((long)((Int128)usd * 1_000_000 * e.Pools[asset].ValueDivisor / e.Pools[asset].Price));

    private static long SizeOf(Engine e, int market, long usd) => Worth(e, e.Markets[market].Config.BaseAsset, usd);
}
