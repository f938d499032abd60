using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Events;
using Solvent.Core.Oracle;
using Solvent.Core.State;
using static Solvent.Core.Tests.OracleVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>
/// Oracle network rules on the bundled oracle genesis: ETH and WBTC fed by five publishers, quorum 3,
/// reports fresh for 120 s, at most 2% confidence, at most 10% move per update (clamp), stable price
/// growth 10%/h, EWMA α = 0.06 on hourly log-returns, TWAP window 1 h. ETH starts at $3,000.
/// </summary>
public sealed class OracleTests
{
    [Fact]
    public void Aggregate_is_the_median_of_fresh_reports_from_distinct_publishers()
    {
        var o = new OracleVenue();
        o.Reports(60, ETH, (1, "3100"), (2, "3110"), (3, "3090"), (4, "3105"), (5, "3095"));
        Assert.Equal(Px("3100"), o.Price(ETH)); // sorted 3090 3095 [3100] 3105 3110

        o.Reports(60, ETH, (1, "3000"), (2, "3010"), (3, "3020"), (4, "3030"));
        Assert.Equal(Px("3020"), o.Price(ETH)); // five fresh (publisher 5's 3,095 is 60 s old): 3000 3010 [3020] 3030 3095
    }

    [Fact]
    public void Even_number_of_fresh_reports_takes_the_middle_report_nearer_the_current_price_never_a_mean()
    {
        var o = new OracleVenue();
        o.Reports(60, ETH, (1, "3000"), (2, "3010"), (3, "3021"), (4, "3031"));
        Assert.Equal(Px("3010"), o.Price(ETH)); // middle pair 3,010 / 3,021: 3,010 is nearer 3,000
        o.Reports(30, ETH, (1, "3100"), (2, "3110"), (3, "2990"), (4, "3120"));
        Assert.Equal(Px("3100"), o.Price(ETH)); // middle pair 3,100 / 3,110: 3,100 is nearer 3,010
        Assert.Equal(3010, Median.Of(new long[] { 3010, 3021, 3000, 3031 })); // lower middle
        Assert.Equal(3021, Median.Upper(new long[] { 3010, 3021, 3000, 3031 }));
        Assert.Equal(3021, Median.NearestTo(new long[] { 3010, 3021, 3000, 3031 }, 3100));
        Assert.Equal(3010, Median.NearestTo(new long[] { 3010, 3020, 3000, 3031 }, 3015)); // tie: the lower
    }

    [Fact]
    public void One_outlier_publisher_cannot_move_the_aggregate()
    {
        var o = new OracleVenue();
        o.All(60, ETH, "3100");
        BlockResult pump = o.Reports(60, ETH, (1, "3100"), (2, "3100"), (3, "310000"), (4, "3100"), (5, "3100"));
        Assert.Equal(Px("3100"), o.Price(ETH)); // 1 of 5 at 100× → unchanged
        Assert.DoesNotContain(pump.EndBlockEvents, e => e is OraclePriceClamped);
        o.Reports(60, ETH, (1, "3100"), (2, "31"), (3, "3100"), (4, "3100"), (5, "3100"));
        Assert.Equal(Px("3100"), o.Price(ETH)); // 1 of 5 at 1/100 → unchanged
        Assert.Equal(FeedStatus.Ok, o.Engine.FeedOf(ETH)!.Status);
    }

    [Fact]
    public void Below_quorum_there_is_no_aggregate_and_old_reports_stop_counting()
    {
        var o = new OracleVenue();
        BlockResult two = o.Reports(60, ETH, (1, "3100"), (2, "3100"));
        Assert.Equal(Px("3000"), o.Price(ETH));
        Assert.Contains(new OracleQuorumMissing(ETH, 2, 3), two.EndBlockEvents);

        o.Reports(30, ETH, (3, "3100")); // the first two are 30 s old: 3 fresh
        Assert.Equal(Px("3100"), o.Price(ETH));

        // 121 s later publishers 1–3 are stale: 4 and 5 alone are below quorum.
        BlockResult late = o.Reports(121, ETH, (4, "3200"), (5, "3200"));
        Assert.Equal(Px("3100"), o.Price(ETH));
        Assert.Contains(new OracleQuorumMissing(ETH, 2, 3), late.EndBlockEvents);
    }

    [Fact]
    public void A_stated_fault_tolerance_needs_two_f_plus_one_fresh_reports()
    {
        var o = new OracleVenue(Config.GenesisLoader.Parse(GenesisText().Replace("\"quorum\": 3", "\"quorum\": 3, \"faultTolerance\": 2", StringComparison.Ordinal)));
        BlockResult four = o.Reports(60, ETH, (1, "3100"), (2, "3100"), (3, "3100"), (4, "3100"));
        Assert.Equal(Px("3000"), o.Price(ETH)); // four fresh of the five f = 2 needs
        Assert.Contains(new OracleQuorumMissing(ETH, 4, 5), four.EndBlockEvents);
        o.Reports(1, ETH, (5, "3100"));
        Assert.Equal(Px("3100"), o.Price(ETH));
        Assert.Equal(o.Now - 1, o.Engine.FeedOf(ETH)!.AggregateTime); // the 5th newest report vouches
    }

    [Fact]
    public void Bad_reports_get_distinct_codes_and_change_nothing()
    {
        var o = new OracleVenue();
        o.All(60, ETH, "3000");
        o.Wait(60);
        long now = o.Now;
        byte[] root = o.Engine.ComputeStateRoot();
        (EngineAction Action, ErrorCode Code)[] cases =
        [
            (new PriceReport(Publisher(1), ETH, Px("3000"), 0, now + 1), ErrorCode.ReportFromFuture),
            (new PriceReport(Publisher(1), ETH, Px("3000"), 0, now - 60), ErrorCode.ReportOutOfOrder),
            (new PriceReport(Publisher(1), ETH, Px("3000"), 0, now - 61), ErrorCode.ReportOutOfOrder),
            (new PriceReport(Publisher(2), WBTC, Px("90000"), 0, now - 121), ErrorCode.ReportStale),
            (new PriceReport(Address.Parse("0x00000000000000000000000000000000000000c1"), ETH, Px("3000"), 0, now), ErrorCode.UnknownPublisher),
            (new PriceReport(Publisher(1), ETH, Px("3000"), Px("60.01"), now), ErrorCode.ConfidenceTooWide),
            (new PriceReport(Publisher(1), ETH, 0, 0, now), ErrorCode.InvalidPrice),
            (new PriceReport(Publisher(1), USDC, Px("1"), 0, now), ErrorCode.UnknownFeed),
            (new SetOraclePrice(Gov, ETH, Px("1")), ErrorCode.FeedManagedByOracle),
            (new ResumeOracleFeed(Gov, ETH), ErrorCode.InvalidParameter),
            (new ResumeOracleFeed(Publisher(1), ETH), ErrorCode.Unauthorized),
            (new VolatilityReport(Publisher(1), ETH, 0, now), ErrorCode.InvalidParameter),
        ];
        foreach ((EngineAction a, ErrorCode code) in cases)
        {
            ActionResult r = o.Engine.Apply(a);
            Assert.Equal(code, r.Code);
            Assert.Equal(root, o.Engine.ComputeStateRoot());
        }

        Assert.True(o.Engine.Apply(new PriceReport(Publisher(1), ETH, Px("3000"), Px("60"), now)).Ok); // exactly 2% is allowed
        Assert.True(o.Engine.Apply(new SetOraclePrice(Gov, USDC, Px("1"))).Ok); // governance still prices the others
    }

    [Fact]
    public void A_move_beyond_the_bound_is_clamped_and_flags_the_feed_until_an_aggregate_lands_within_it()
    {
        var o = new OracleVenue();
        o.V.Deposit(1, ETH, "10");
        o.V.Deposit(2, USDC, "100000");
        BlockResult jump = o.All(60, ETH, "3750"); // +25%
        Assert.Equal(Px("3300"), o.Price(ETH)); // 3000 + 10%
        Assert.Contains(new OraclePriceClamped(ETH, Px("3750"), Px("3300")), jump.EndBlockEvents);
        Assert.Equal(FeedStatus.Flagged, o.Engine.FeedOf(ETH)!.Status);
        Assert.Equal(ErrorCode.OracleUnavailable, o.V.Do(new Borrow(User(1), Acct(1), USDC, 1_000_000)).Code);

        o.All(60, ETH, "3750");
        Assert.Equal(Px("3630"), o.Price(ETH)); // 3300 + 10%, still flagged
        Assert.Equal(FeedStatus.Flagged, o.Engine.FeedOf(ETH)!.Status);
        o.All(60, ETH, "3750");
        Assert.Equal(Px("3750"), o.Price(ETH)); // within 10% of 3630
        Assert.Equal(FeedStatus.Ok, o.Engine.FeedOf(ETH)!.Status);
        o.V.Borrow(1, USDC, "1000");
    }

    [Fact]
    public void Pause_mode_holds_the_price_until_governance_resumes_and_then_walks_to_the_aggregate_at_the_bound()
    {
        var o = new OracleVenue(Config.GenesisLoader.Parse(GenesisText().Replace("\"clamp\"", "\"pause\"", StringComparison.Ordinal)));
        BlockResult jump = o.All(60, ETH, "3750");
        Assert.Equal(Px("3000"), o.Price(ETH));
        Assert.Contains(new OracleFeedPaused(ETH, Px("3000"), Px("3750")), jump.EndBlockEvents);
        o.All(60, ETH, "3760");
        Assert.Equal(Px("3000"), o.Price(ETH));
        Assert.Equal(FeedStatus.Paused, o.Engine.FeedOf(ETH)!.Status);

        o.Wait(1, new ResumeOracleFeed(Gov, ETH));
        Assert.Equal(FeedStatus.Resuming, o.Engine.FeedOf(ETH)!.Status);

        // The first price after the resume is bounded like any other: +10% and still resuming (no new risk)...
        BlockResult first = o.All(60, ETH, "3770");
        Assert.Equal(Px("3300"), o.Price(ETH));
        Assert.Contains(new OraclePriceClamped(ETH, Px("3770"), Px("3300")), first.EndBlockEvents);
        Assert.Equal(FeedStatus.Resuming, o.Engine.FeedOf(ETH)!.Status);
        Assert.False(o.Engine.IsFeedHealthy(ETH));

        // ...walking on without pausing again, until an aggregate lands within the bound.
        o.All(60, ETH, "3770");
        Assert.Equal(Px("3630"), o.Price(ETH));
        o.All(60, ETH, "3770");
        Assert.Equal(Px("3770"), o.Price(ETH));
        Assert.Equal(FeedStatus.Ok, o.Engine.FeedOf(ETH)!.Status);
    }

    [Fact]
    public void A_stale_feed_stops_risk_increasing_actions_but_not_repays_deposits_or_conservatively_healthy_withdrawals()
    {
        var o = new OracleVenue();
        o.V.Deposit(1, ETH, "10");
        o.V.Deposit(2, USDC, "100000");
        o.All(60, ETH, "3000");
        o.V.Borrow(1, USDC, "10000");
        o.Wait(121); // aggregate 121 s old > 120 s: stale
        Assert.False(o.Engine.IsFeedHealthy(ETH));

        Assert.Equal(ErrorCode.OracleUnavailable, o.V.Do(new Borrow(User(1), Acct(1), USDC, 1_000_000)).Code);
        Assert.Equal(ErrorCode.OracleUnavailable, o.V.Do(new Borrow(User(2), Acct(2), ETH, 1_000_000)).Code);
        o.V.MustDo(new Repay(User(1), Acct(1), USDC, o.V.Q(USDC, "100")));
        o.V.Deposit(1, ETH, "0.5");
        o.V.MustDo(new Withdraw(User(2), Acct(2), USDC, o.V.Q(USDC, "1000"))); // no ETH exposure

        // Debt 9,900. At the band's low end ($2,700) 5.5 → 5 ETH keeps 5 × 2,700 × 0.805 = 10,867.5 ≥ 9,900.
        o.V.MustDo(new Withdraw(User(1), Acct(1), ETH, o.V.Q(ETH, "5.5")));

        // 4.5 ETH would be fine at $3,000 (10,867.5) but not at $2,700 (9,780.75 < 9,900).
        ActionResult r = o.V.Do(new Withdraw(User(1), Acct(1), ETH, o.V.Q(ETH, "0.5")));
        Assert.Equal(ErrorCode.ConservativeHealthViolated, r.Code);
    }

    [Fact]
    public void Liquidations_use_the_last_good_price_while_the_feed_is_stale()
    {
        var o = new OracleVenue();
        o.V.Deposit(2, USDC, "100000");
        o.V.Deposit(3, ETH, "1");
        o.All(60, ETH, "3000");
        o.V.Borrow(3, USDC, "2400"); // 3,000 × 0.805 = 2,415 ≥ 2,400
        o.All(60, ETH, "2850"); // maintenance 2,850 × 0.83 = 2,365.5 < 2,400
        o.Wait(500);
        Assert.False(o.Engine.IsFeedHealthy(ETH));
        ActionResult r = o.V.MustDo(new Liquidate(User(2), Acct(2), Acct(3), USDC, ETH, o.V.Q(USDC, "500")));
        Liquidated l = Assert.Single(r.Events.OfType<Liquidated>());

        // 500 USDC × 1.05 / 2,850 = 0.184210526… ETH, in 1e-9 quantums, rounded against the liquidator.
        Assert.InRange(l.Seized, 184_210_525, 184_210_526);
    }

    [Fact]
    public void Stable_price_bounds_how_fast_a_pump_raises_borrowing_power()
    {
        var o = new OracleVenue();
        o.V.Deposit(1, ETH, "1");
        o.All(60, ETH, "3300"); // +10%: accepted, but the stable price may grow 10%/h × 60 s = 0.1667% → 3,005
        Assert.Equal(Px("3005"), o.Engine.FeedOf(ETH)!.StablePrice);
        Risk.Health h = o.V.Health(1);
        Assert.Equal(2_419_025_000, (long)h.InitialCollateral); // 3,005 × 0.805
        Assert.Equal(2_739_000_000, (long)h.MaintenanceCollateral); // 3,300 × 0.83: liquidation uses the oracle

        o.All(3600, ETH, "3300"); // an hour later: growth 300.5 → 3,300 reached
        Assert.Equal(Px("3300"), o.Engine.FeedOf(ETH)!.StablePrice);
        // The hourly return (ln 1.1) also lifted realized volatility, so the controller lowered the weight within its 2%/h.
        long weight = o.Engine.Pools[ETH].Risk.InitialAssetWeight;
        Assert.InRange(weight, 785_000, 804_999);
        Assert.Equal(3300L * weight, (long)o.V.Health(1).InitialCollateral);

        // A crash: debts count at max(oracle, stable) for initial health.
        o.All(60, ETH, "2970");
        Assert.Equal(Px("3294.5"), o.Engine.FeedOf(ETH)!.StablePrice); // 3,300 − 3,300 × 0.1 × 60 / 3600
        Assert.Equal(Px("3294.5"), o.Engine.Pools[ETH].InitialLiabilityPrice);
        Assert.Equal(Px("2970"), o.Engine.Pools[ETH].InitialAssetPrice);
    }

    [Fact]
    public void Ewma_follows_the_riskmetrics_recursion_on_hourly_log_returns()
    {
        var o = new OracleVenue();
        o.All(3600, ETH, "3300");
        o.All(3600, ETH, "2970");
        o.All(1800, ETH, "3000"); // less than an interval since the last sample: not sampled

        // Independent reference in double precision: v0 = 0.8² / 8760, v ← 0.94 v + 0.06 r².
        double v = 0.8 * 0.8 / 8760;
        foreach (double r in new[] { System.Math.Log(3300.0 / 3000), System.Math.Log(2970.0 / 3300) })
        {
            v = (0.94 * v) + (0.06 * r * r);
        }

        double expectedPpm = System.Math.Sqrt(v * 8760) * 1e6;
        long actual = o.Engine.FeedOf(ETH)!.RealizedVolatility;
        Assert.InRange(actual, (long)expectedPpm - 1, (long)expectedPpm + 2);
    }

    [Fact]
    public void Twap_is_the_time_weighted_average_over_the_window()
    {
        var o = new OracleVenue();
        for (int k = 1; k <= 12; k++)
        {
            o.All(300, ETH, k <= 6 ? "3000" : "3300");
        }

        // 3,000 from t0 to t0+2,100 (the first 3,300 aggregate), then 3,300 for 1,500 s: (6.3M + 4.95M) / 3,600.
        Assert.Equal(Px("3125"), o.Engine.FeedOf(ETH)!.Twap(o.Now));
    }

    [Fact]
    public void Log_of_ratios_matches_published_constants()
    {
        Assert.InRange(Math.LogMath.AbsLnRatio(2, 1), 693_147_180_559_945_308L, 693_147_180_559_945_309L);
        Assert.InRange(Math.LogMath.AbsLnRatio(11, 10), 95_310_179_804_324_859L, 95_310_179_804_324_860L);
        Assert.InRange(Math.LogMath.AbsLnRatio(1, 1000), 6_907_755_278_982_137_051L, 6_907_755_278_982_137_052L);
        Assert.Equal(0, Math.LogMath.AbsLnRatio(7, 7));
    }
}
