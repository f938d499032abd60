using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Events;
using Solvent.Core.Oracle;
using static Solvent.Core.Tests.OracleVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 2 on the bundled oracle genesis (ETH fed by five publishers, quorum 3, maxAge 120 s,
/// maxMove 10%): publishers that lie, one honest publisher that fell behind, one-second blocks, and a
/// perpetual long whose PnL the attacker tries to borrow against. The attacker deposits $400k and goes
/// long 1,000 ETH at about $3,000; a lender supplies $20M of USDC.
/// </summary>
public sealed class OracleQuorumAttackTests
{
    private const int EthPerp = 0;

    /// <summary>The genesis leaves maxMovePerSecond unset: maxMove / 60 s = 0.1 / 60, rounded up to a ppm.</summary>
    private const long PerSecondPpm = 1667;

    [Fact]
    public void Two_liars_and_a_lagging_honest_publisher_cannot_walk_the_price_in_one_second_blocks()
    {
        OracleVenue o = Attack();

        // Publisher 5 is honest but more than maxAge behind: four fresh reports, two of them lies. Each block
        // the liars report so that the mean of the middle two lands just inside a 10% move from the price.
        long start = o.Price(ETH);
        for (int block = 0; block < 9; block++)
        {
            long old = o.Price(ETH);
            long lie = (2 * (old + (old / 10) - 1)) - Px("3000");
            BlockResult r = o.Reports(1, ETH, (1, "3000"), (2, "3000"), (3, Human(lie)), (4, Human(lie)));
            long moved = System.Math.Abs(o.Price(ETH) - old);
            Assert.True(moved <= old * PerSecondPpm / 1_000_000, $"block {block}: {Human(old)} → {Human(o.Price(ETH))} in one second");
            Assert.DoesNotContain(r.EndBlockEvents, e => e is OracleQuorumMissing);
        }

        // Nine seconds of the time bound compounded is the most any feed may move; two liars get nothing.
        Assert.True(o.Price(ETH) <= start + (9 * start * PerSecondPpm / 1_000_000) + 9, $"ETH walked to {Human(o.Price(ETH))}");
        Assert.Equal(Px("3000"), o.Price(ETH));
        Assert.True(o.Engine.IsFeedHealthy(ETH));

        // The issue's $3.07M against $400k: refused, the attacker has no fake PnL to borrow against.
        ActionResult borrow = o.V.Do(new Borrow(User(1), Acct(1), USDC, o.V.Q(USDC, "3070000")));
        Assert.Equal(ErrorCode.InitialHealthViolated, borrow.Code);
    }

    [Fact]
    public void Lying_majority_moves_the_price_at_most_the_time_bound_per_second()
    {
        OracleVenue o = Attack();

        // Three of five lie at 10× (more than f = 1 faults: the median is theirs) in one-second blocks: the
        // per-update 10% used to compound each block; the bound is per second since the last aggregate.
        long start = o.Price(ETH);
        long bound = start;
        for (int block = 0; block < 9; block++)
        {
            long old = o.Price(ETH);
            o.Reports(1, ETH, (1, "3000"), (2, "3000"), (3, "30000"), (4, "30000"), (5, "30000"));
            Assert.True(o.Price(ETH) - old <= old * PerSecondPpm / 1_000_000, $"block {block}: {Human(old)} → {Human(o.Price(ETH))} in one second");
            bound += bound * PerSecondPpm / 1_000_000;
        }

        Assert.True(o.Price(ETH) <= bound, $"ETH walked to {Human(o.Price(ETH))} in 9 s, bound {Human(bound)}");
        Assert.Equal(FeedStatus.Flagged, o.Engine.FeedOf(ETH)!.Status);
        Assert.NotEqual(ErrorCode.Ok, o.V.Do(new Borrow(User(1), Acct(1), USDC, o.V.Q(USDC, "100000"))).Code);
    }

    [Fact]
    public void Perp_pnl_pumped_within_every_bound_buys_no_borrowing_power_beyond_the_stable_price()
    {
        OracleVenue o = Attack();

        // A lying majority walks ETH up exactly at the time bound for ten minutes of one-second blocks, so the
        // feed never clamps and stays healthy: the oracle reads about 2.7× while the stable price has grown
        // its 10%/h (about 1.7%).
        for (int block = 0; block < 600; block++)
        {
            long old = o.Price(ETH);
            string lie = Human(old + (old * (PerSecondPpm - 1) / 1_000_000));
            o.Reports(1, ETH, (1, "3000"), (2, "3000"), (3, lie), (4, lie), (5, lie));
        }

        OracleFeed f = o.Engine.FeedOf(ETH)!;
        Assert.True(o.Engine.IsFeedHealthy(ETH));
        Assert.True(o.Price(ETH) > Px("7000"), Human(o.Price(ETH)));
        Assert.True(f.StablePrice < Px("3100"), Human(f.StablePrice));

        // At the oracle price the long is up more than $4M; valued at the stable price (as lending collateral
        // is for initial health) it is up well under $100k, so $3.07M of USDC cannot leave against $400k.
        int id = o.Engine.Accounts.Find(Acct(1));
        long atOracle = Risk.PerpHealth.Pnl(o.Engine.Markets[EthPerp], o.Engine.Accounts.Size(id, EthPerp), o.Engine.Accounts.Quote(id, EthPerp), o.Engine.Accounts.FundingSnapshot(id, EthPerp), o.Price(ETH), o.Engine.Pools[ETH].ValueDivisor);
        Assert.True(atOracle > 4_000_000_000_000, atOracle.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ActionResult borrow = o.V.Do(new Borrow(User(1), Acct(1), USDC, o.V.Q(USDC, "3070000")));
        Assert.Equal(ErrorCode.InitialHealthViolated, borrow.Code);

        // Maintenance still uses the oracle price: the position is far from liquidation.
        Assert.True(o.V.Health(1).MaintenanceHealth > 0);
    }

    [Fact]
    public void The_first_price_after_a_resume_is_bounded_even_when_the_liars_report_first()
    {
        var o = new OracleVenue(Config.GenesisLoader.Parse(GenesisText().Replace("\"clamp\"", "\"pause\"", StringComparison.Ordinal)));
        o.All(60, ETH, "3750"); // +25%: paused at 3,000
        Assert.Equal(FeedStatus.Paused, o.Engine.FeedOf(ETH)!.Status);
        o.Wait(600, new ResumeOracleFeed(Gov, ETH));

        // Three of five report 10× in the first block after the resume: the feed moves the bound, no more,
        // and risk-increasing actions keep waiting.
        o.Reports(1, ETH, (1, "30000"), (2, "30000"), (3, "30000"));
        Assert.Equal(Px("3300"), o.Price(ETH));
        Assert.False(o.Engine.IsFeedHealthy(ETH));
    }

    /// <summary>The attacker (user 1) long 1,000 ETH on $400k; a lender (user 9) with $20M; publisher 5 reported once and fell behind.</summary>
    private static OracleVenue Attack()
    {
        var o = new OracleVenue();
        o.V.Deposit(9, USDC, "20000000");
        o.V.Deposit(1, USDC, "400000");
        o.V.MustDo(new PlaceOrder(User(1), Acct(1), EthPerp, o.V.Q(ETH, "1000"), 0, false));
        o.Reports(1, ETH, (5, "3000"));
        o.Reports(130, ETH, (1, "3000"), (2, "3000"), (3, "3000"), (4, "3000")); // 5 is 130 s old: stale
        Assert.Equal(Px("3000"), o.Price(ETH));
        return o;
    }

    private static string Human(long price) => Math.DecimalString.Format(price - (price % 1_000_000), Math.Precision.PriceDecimals);
}
