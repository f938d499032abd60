using Solvent.Core.Blocks;
using Solvent.Core.Perps;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 7 on the perp test venue (hourly funding, max rate 0.1%, interest 0.00125%/h): after a
/// quiet period the first block's premium sample must not set the rate for every elapsed interval.
/// </summary>
public sealed class FundingGapTests
{
    private const long MaxRate = 1_000_000; // 0.1% in 1e9
    private const long Interest = 12_500; // 0.00125% in 1e9

    [Fact]
    public void One_sample_after_a_ten_hour_gap_sets_at_most_one_interval_of_premium()
    {
        var e = new Engine(Genesis());
        e.Apply(new Actions.Deposit(User(1), Acct(1), Usdc, Usd("10000")));
        Assert.True(e.Apply(Order(1, "10")).Ok);

        // Index 110 against a mark near 100: a −9% premium, capped at −0.1% per interval. Then nobody sends a
        // block for ten hours; the one block after the gap is the only sample of those ten intervals.
        Assert.True(e.Apply(new Actions.SetOraclePrice(Gov, Tst, Px("110"))).Ok);
        long t = e.Time;
        e.Apply(new Block(new BlockHeader(e.Height + 1, t + (10 * 3600), e.LastRoot), []));

        // At most: one interval at the capped premium rate, nine at the interest rate alone (no premium).
        PerpMarket m = e.Markets[Perp];
        Int128 bound = FundingMath.IndexDelta(-MaxRate, Px("110")) + (9 * FundingMath.IndexDelta(Interest, Px("110")));
        Assert.Equal(t + (10 * 3600), m.LastFundingTime);
        Assert.True(Int128.Abs(m.FundingIndex) <= Int128.Abs(bound), $"funding index {m.FundingIndex} moved more than one interval of premium ({bound})");

        // The long's receipt for the gap is at most $1.10 (0.1% × $110 × 10) plus nothing from the quiet hours.
        int id = e.Accounts.Find(Acct(1));
        long owed = FundingMath.Owed(e.Accounts.Size(id, Perp), m.FundingIndex, e.Accounts.FundingSnapshot(id, Perp), 9);
        Assert.InRange(owed, -Usd("1.1"), 0);
        AssertLedgers(e, Usd("10000"));
    }

    [Fact]
    public void A_mark_pushed_just_before_a_gap_is_charged_for_one_interval_not_every_quiet_hour()
    {
        var e = new Engine(Genesis());
        e.Apply(new Actions.Deposit(User(1), Acct(1), Usdc, Usd("5000000")));
        e.Apply(new Actions.Deposit(User(2), Acct(2), Usdc, Usd("10000")));
        Assert.True(e.Apply(Order(2, "-10")).Ok); // the victim: a small honest short

        // Hourly blocks with mark ≈ index: funding near zero. In the last block before the gap the attacker
        // buys 45,000 TST (mark ≈ +10%, as far as the fill band lets one order go), so the only sample after the gap sees a premium the capped rate
        // turns into 0.1% a hour.
        long t = e.Time;
        for (int h = 1; h <= 3; h++)
        {
            e.Apply(new Block(new BlockHeader(e.Height + 1, t + (3600 * h), e.LastRoot), []));
        }

        Int128 before = e.Markets[Perp].FundingIndex;
        BlockResult push = e.Apply(new Block(new BlockHeader(e.Height + 1, t + (3 * 3600) + 1, e.LastRoot), [Order(1, "45000")]));
        Assert.True(push.Results[0].Ok, push.Results[0].Message);
        e.Apply(new Block(new BlockHeader(e.Height + 1, t + (13 * 3600) + 1, e.LastRoot), []));

        // Ten intervals passed; the premium may be charged for one of them.
        PerpMarket m = e.Markets[Perp];
        Int128 moved = m.FundingIndex - before;
        Int128 bound = FundingMath.IndexDelta(MaxRate, Px("100")) + (9 * FundingMath.IndexDelta(Interest, Px("100")));
        Assert.True(moved > 0, "the pushed mark must still pay one interval of premium");
        Assert.True(moved <= bound, $"funding index moved {moved}, more than one interval of premium ({bound})");
    }
}
