using Solvent.Core.Actions;
using Solvent.Core.Eval;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Perps;
using Solvent.Core.Risk;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

public class PerpTests
{
    [Fact]
    public void Open_interest_imf_vector_dydx()
    {
        // Base IMF 5%, caps $40M–$100M, OI $70M → 52.5%.
        Assert.Equal(525_000, MarginMath.OpenInterestImf(50_000, 70_000_000_000_000, 40_000_000_000_000, 100_000_000_000_000));
        Assert.Equal(50_000, MarginMath.OpenInterestImf(50_000, 40_000_000_000_000, 40_000_000_000_000, 100_000_000_000_000));
        Assert.Equal(1_000_000, MarginMath.OpenInterestImf(50_000, 100_000_000_000_000, 40_000_000_000_000, 100_000_000_000_000));
    }

    [Fact]
    public void Size_premium_follows_drifts_formula()
    {
        // In Drift's 1e4 units: 0.8 × 1000 + ⌊√(10·size₁ₑ₉ + 1)⌋ × imfFactor / 1e7 (imfFactor 0.001 = 1000).
        // 10 base: √1e11 = 316,227 → 800 + 31 = 831 → 8.31% < 10%, so the base fraction stands.
        Assert.Equal(100_000, MarginMath.SizePremiumFraction(100_000, 10_000_000_000, 9, 1_000));
        // 1,000 base: √1e13 = 3,162,277 → 800 + 316 = 1116 → 11.16%.
        Assert.Equal(111_600, MarginMath.SizePremiumFraction(100_000, 1_000_000_000_000, 9, 1_000));
        // 100,000 base: √1e15 = 31,622,776 → 800 + 3162 = 3962 → 39.62%.
        Assert.Equal(396_200, MarginMath.SizePremiumFraction(100_000, 100_000_000_000_000, 9, 1_000));
    }

    private static EvalReport EvalOf(string positionJson)
    {
        string json = $$"""
        { "genesis": {{Json()}},
          "subaccounts": [ { "owner": "0x1111111111111111111111111111111111111111", "balances": { "USDC": "200" }, "positions": { "TST-PERP": {{positionJson}} } } ] }
        """;
        var input = EvalInput.Parse(json, _ => throw new InvalidOperationException());
        return EvalReport.Build(input.BuildEngine());
    }

    [Fact]
    public void Liquidation_price_vectors_long_and_short()
    {
        // 10 long at $100 with $200 equity and MMF 5% liquidate at 84.2105; the same short at 114.2857.
        var longPos = EvalOf("""{ "size": "10", "entryPrice": "100" }""").Subaccounts.Single().Positions.Single();
        Assert.StartsWith("84.2105", longPos.LiquidationPrice!.Value);
        var shortPos = EvalOf("""{ "size": "-10", "entryPrice": "100" }""").Subaccounts.Single().Positions.Single();
        Assert.StartsWith("114.2857", shortPos.LiquidationPrice!.Value);
        Assert.Equal("50", shortPos.MaintenanceRequirement.Value);
    }

    [Fact]
    public void Amm_fills_at_the_constant_product_price_rounded_against_the_trader()
    {
        var e = new Engine(Genesis());
        PerpMarket m = e.Markets[Perp];
        Assert.Equal(Px("100"), m.MarkPrice);
        long d = Base("1000");
        Assert.True(VirtualAmm.TrySwap(m.BaseReserve, m.QuoteReserve, m.Peg, d, out var buy));
        Assert.True(VirtualAmm.TrySwap(m.BaseReserve, m.QuoteReserve, m.Peg, -d, out var sell));

        // x·y = k: buying Δ of B costs P0·Δ·B/(B − Δ); selling yields P0·Δ·B/(B + Δ).
        decimal b = 1_000_000m, delta = 1000m;
        decimal exactCost = 100m * delta * b / (b - delta) * 1_000_000m;
        decimal exactProceeds = 100m * delta * b / (b + delta) * 1_000_000m;
        Assert.InRange(buy.Quote, (long)decimal.Ceiling(exactCost), (long)decimal.Ceiling(exactCost) + 1);
        Assert.InRange(-sell.Quote, (long)decimal.Floor(exactProceeds) - 1, (long)decimal.Floor(exactProceeds));
        Assert.Equal(m.BaseReserve - (ulong)d, buy.NewBase);
    }

    [Fact]
    public void A_trade_moves_the_amm_opposite_and_books_balance()
    {
        var e = new Engine(PerpVenue.Genesis());
        e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("10000")));
        var r = e.Apply(Order(1, "10", "101"));
        Assert.True(r.Ok, r.Message);
        var t = r.Events.OfType<Traded>().Single();
        Assert.Equal(Base("10"), e.Accounts.Size(e.Accounts.Find(Acct(1)), Perp));
        Assert.Equal(-Base("10"), e.Accounts.Size(e.Markets[Perp].AmmAccount, Perp));
        Assert.Equal(Base("10"), e.Markets[Perp].OpenInterest);
        // 10 × $100 × 1,000,000/(1,000,000 − 10) = 1000.0100001…, rounded up against the trader.
        Assert.Equal(Usd("1000.010001"), t.Quote);
        AssertLedgers(e, Usd("10000"));

        // Closing settles realized PnL into Usdc.
        var close = e.Apply(Order(1, "-10", reduceOnly: true));
        Assert.True(close.Ok, close.Message);
        Assert.Single(close.Events.OfType<PnlSettled>());
        Assert.Equal(0, e.Accounts.Quote(e.Accounts.Find(Acct(1)), Perp));
        AssertLedgers(e, Usd("10000"));
        Assert.True(e.Pools[Usdc].AmountOf(e.Accounts.Scaled(e.Accounts.Find(Acct(1)), Usdc)) < Usd("10000"), "a round trip against the AMM costs slippage");
    }

    public static TheoryData<string, ErrorCode> BadOrders => new()
    {
        { "beyond the OI cap", ErrorCode.OpenInterestCapExceeded },
        { "size not a multiple of step", ErrorCode.SizeNotMultipleOfStep },
        { "worst price violated", ErrorCode.WorstPriceExceeded },
        { "paused market", ErrorCode.MarketPaused },
        { "reduce-only that would increase", ErrorCode.ReduceOnlyViolation },
        { "initial margin breached", ErrorCode.InitialHealthViolated },
        { "unknown market", ErrorCode.UnknownMarket },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public void Bad_orders_are_rejected_with_their_code_and_change_nothing(string name, ErrorCode expected)
    {
        var e = new Engine(Genesis(""", "openInterestCap": "50" """));
        e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("100000")));
        Assert.True(e.Apply(Order(1, "20")).Ok);
        if (name == "paused market")
        {
            Assert.True(e.Apply(new UpdateMarketRisk(Gov, Perp, e.Markets[Perp].Risk with { Paused = true })).Ok);
        }

        EngineAction bad = name switch
        {
            "beyond the OI cap" => Order(1, "40"),
            "size not a multiple of step" => new PlaceOrder(User(1), Acct(1), Perp, Base("1") + 1, 0, false),
            "worst price violated" => Order(1, "10", "100"),
            "paused market" => Order(1, "1"),
            "reduce-only that would increase" => Order(1, "1", reduceOnly: true),
            "initial margin breached" => Order(1, "25"),
            _ => new PlaceOrder(User(1), Acct(1), 7, Base("1"), 0, false),
        };
        if (name == "initial margin breached")
        {
            Assert.True(e.Apply(new Withdraw(User(1), Acct(1), Usdc, Usd("99700"))).Ok);
        }

        byte[] root = e.ComputeStateRoot();
        var r = e.Apply(bad);
        Assert.Equal(expected, r.Code);
        Assert.Equal(root, e.ComputeStateRoot());
        if (name == "paused market")
        {
            Assert.True(e.Apply(Order(1, "-1", reduceOnly: true)).Ok, "reducing stays open in a paused market");
        }
    }

    [Theory]
    [InlineData(100_000, 12_500, 12_500)]
    [InlineData(1_000_000, 12_500, 500_000)]
    [InlineData(-1_000_000, 12_500, -500_000)]
    [InlineData(5_000_000, 12_500, 1_000_000)]
    public void Funding_rate_is_premium_plus_clamped_interest_capped(long meanPremium, long interest, long expected) =>
        Assert.Equal(expected, FundingMath.Rate(meanPremium, interest, 1_000_000));

    [Fact]
    public void Funding_moves_the_index_hourly_and_is_zero_sum()
    {
        var e = new Engine(Genesis());
        var v = e;
        e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("10000")));
        Assert.True(e.Apply(Order(1, "10")).Ok);
        Assert.True(e.Apply(new SetOraclePrice(Gov, Tst, Px("110"))).Ok);

        // Blocks every 10 minutes for an hour: mark ≈ 100 < index 110 → premium ≈ −9%, capped at −0.1%.
        long t = e.Time;
        for (int i = 1; i <= 6; i++)
        {
            v.Apply(new Blocks.Block(new Blocks.BlockHeader(v.Height + 1, t + (600 * i), v.LastRoot), []));
        }

        PerpMarket m = e.Markets[Perp];
        Assert.Equal(-1_000_000, m.LastFundingRate);
        Assert.Equal(FundingMath.IndexDelta(-1_000_000, Px("110")), m.FundingIndex);

        // Longs receive 0.1% × $110 × 10 = $1.10; the AMM's short pays the same.
        int id = e.Accounts.Find(Acct(1));
        long userOwed = FundingMath.Owed(e.Accounts.Size(id, Perp), m.FundingIndex, e.Accounts.FundingSnapshot(id, Perp), 9);
        long ammOwed = FundingMath.Owed(e.Accounts.Size(m.AmmAccount, Perp), m.FundingIndex, e.Accounts.FundingSnapshot(m.AmmAccount, Perp), 9);
        Assert.Equal(-Usd("1.1"), userOwed);
        Assert.Equal(Usd("1.1"), ammOwed);
        Assert.True(e.Apply(Order(1, "-10", reduceOnly: true)).Ok);
        Assert.Equal(0, m.FundingSettled);
        AssertLedgers(e, Usd("10000"));
    }

    [Fact]
    public void Keeper_takes_just_enough_to_restore_the_buffer()
    {
        var e = new Engine(Genesis());
        Import(e, Acct(1), "1000", "100", "100");
        e.ImportBalance(Acct(2), MarginMode.Cross, Usdc, Usd("100000"));
        e.ImportPrice(Tst, Px("94"));
        int id = e.Accounts.Find(Acct(1));
        var before = e.HealthOf(id);
        Assert.True(before.IsLiquidatable);

        var r = e.Apply(new LiquidatePerp(User(2), Acct(2), Acct(1), Perp, Base("100")));
        Assert.True(r.Ok, r.Message);
        var liq = r.Events.OfType<PerpLiquidated>().Single();

        // Δn ≥ (0.1 × 470 + 70) / (0.05 − 0.01 + 0.1 × 0.05) = 2600 USD → 27.660 Tst (step 0.001, rounded up).
        Assert.Equal(Base("27.66"), liq.Size);
        var after = e.HealthOf(id);
        Assert.True(after.MaintenanceHealth > before.MaintenanceHealth);
        long mrAfter = (long)FullMath.Div((Int128)PerpHealth.AbsNotional(e.Accounts.Size(id, Perp), Px("94"), e.Pools[Tst].ValueDivisor) * 50_000, 1_000_000, Rounding.Up);
        Assert.True(after.MaintenanceHealth >= mrAfter / 10, "maintenance health restored to the 10% buffer");
        Assert.Equal(liq.Penalty - liq.ToInsurance, liq.Penalty / 2);
        Assert.Equal(liq.ToInsurance, e.Markets[Perp].Insurance);
        AssertLedgers(e, Usd("101000"));
    }

    private static Engine AdlBook()
    {
        // L is long 100 @ 100 with 500 Usdc; three shorts with different ranks at index 90.
        var e = new Engine(Genesis());
        Import(e, Acct(1), "500", "100", "100");
        Import(e, Acct(2), "600", "-60", "100");    // rank (600/1200)·(270/1200) = 0.1125
        Import(e, Acct(3), "5000", "-50", "100");   // (500/5500)·(225/5500) ≈ 0.0037
        Import(e, Acct(4), "20000", "-50", "100");  // (500/20500)·(225/20500) ≈ 0.00027
        e.ImportPrice(Tst, Px("90"));
        return e;
    }

    [Fact]
    public void Adl_reduces_the_top_ranked_opposites_only_and_covers_the_shortfall_exactly()
    {
        Engine e = AdlBook();
        long cash = e.Pools[Usdc].Cash;
        int l = e.Accounts.Find(Acct(1));
        Assert.Equal(-Usd("500"), (long)e.HealthOf(l).Equity);
        Assert.Equal(ErrorCode.AccountBankrupt, e.Apply(new LiquidatePerp(User(4), Acct(4), Acct(1), Perp, Base("1"))).Code);

        var r = e.Apply(new BackstopLiquidate(User(9), Acct(1), Perp));
        Assert.True(r.Ok, r.Message);
        var adl = r.Events.OfType<AutoDeleveraged>().ToList();
        Assert.Equal([Acct(2), Acct(3)], adl.Select(a => a.Account));
        Assert.Equal(Base("60"), adl[0].Size);
        Assert.Equal(Base("40"), adl[1].Size);
        Assert.Equal(Usd("5700"), adl[0].Quote);   // 60 at the bankruptcy price 95
        Assert.Equal(Usd("3800"), adl[1].Quote);
        Assert.Equal(-Base("50"), e.Accounts.Size(e.Accounts.Find(Acct(4)), Perp));

        // The bankrupt account ends at exactly zero equity; ADL'd accounts lose exactly the $500 shortfall.
        Assert.Equal(0, (long)e.HealthOf(l).Equity);
        Assert.Equal(Usd("900"), (long)e.HealthOf(e.Accounts.Find(Acct(2))).Equity);   // 1,200 − 300
        Assert.Equal(Usd("5300"), (long)e.HealthOf(e.Accounts.Find(Acct(3))).Equity);  // 5,500 − 200
        AssertLedgers(e, cash);
    }

    [Fact]
    public void Insurance_pays_first_and_adl_covers_only_the_rest()
    {
        Engine e = AdlBook();
        e.ImportBalance(Acct(9), MarginMode.Cross, Usdc, Usd("1000"));
        long cash = e.Pools[Usdc].Cash;
        Assert.True(e.Apply(new FundMarketInsurance(User(9), Acct(9), Perp, Usd("200"))).Ok);
        var r = e.Apply(new BackstopLiquidate(User(9), Acct(1), Perp));
        Assert.True(r.Ok, r.Message);
        var bs = r.Events.OfType<BackstopTakeover>().Single();
        Assert.Equal(Usd("500"), bs.Shortfall);
        Assert.Equal(Usd("200"), bs.InsurancePaid);
        Assert.Equal(Base("40"), bs.Size);
        var adl = Assert.Single(r.Events.OfType<AutoDeleveraged>());
        Assert.Equal(Acct(2), adl.Account);
        Assert.Equal(Base("60"), adl.Size);
        Assert.Equal(0, e.Markets[Perp].Insurance);
        Assert.Equal(Usd("1200") - Usd("300"), (long)e.HealthOf(e.Accounts.Find(Acct(2))).Equity);
        AssertLedgers(e, cash);
    }

    [Fact]
    public void Backstop_waits_for_the_flag_delay_unless_bankrupt()
    {
        var e = new Engine(Genesis());
        Import(e, Acct(1), "1000", "100", "100");
        e.ImportPrice(Tst, Px("94"));
        Assert.Equal(ErrorCode.BackstopNotYet, e.Apply(new BackstopLiquidate(User(9), Acct(1), Perp)).Code);
        long t = e.Time;
        void Block() => e.Apply(new Blocks.Block(new Blocks.BlockHeader(e.Height + 1, ++t, e.LastRoot), []));
        Block();
        Assert.True(e.Apply(new FlagLiquidatable(User(9), Acct(1))).Ok);
        Block();
        Block();
        Assert.Equal(ErrorCode.BackstopNotYet, e.Apply(new BackstopLiquidate(User(9), Acct(1), Perp)).Code);
        Block();
        var r = e.Apply(new BackstopLiquidate(User(9), Acct(1), Perp));
        Assert.True(r.Ok, r.Message);
        Assert.Equal(Base("100"), e.Accounts.Size(e.Markets[Perp].BackstopAccount, Perp));
        Assert.True(e.Markets[Perp].Insurance > 0);

        // Governance unwinds the inherited position against the AMM, reduce-only; nobody else can.
        Assert.Equal(ErrorCode.Unauthorized, e.Apply(new PlaceOrder(User(9), Engine.BackstopKey(Perp), Perp, -Base("10"), 0, true)).Code);
        Assert.Equal(ErrorCode.Unauthorized, e.Apply(new PlaceOrder(Gov, Engine.BackstopKey(Perp), Perp, -Base("10"), 0, false)).Code);
        Assert.True(e.Apply(new PlaceOrder(Gov, Engine.BackstopKey(Perp), Perp, -Base("100"), 0, true)).Ok);
        Assert.Equal(0, e.Accounts.Size(e.Markets[Perp].BackstopAccount, Perp));
    }

    [Fact]
    public void A_stale_flag_from_an_earlier_episode_does_not_skip_the_delay()
    {
        var e = new Engine(Genesis());
        Import(e, Acct(1), "1000", "100", "100");
        long t = e.Time;
        void Block() => e.Apply(new Blocks.Block(new Blocks.BlockHeader(e.Height + 1, ++t, e.LastRoot), []));
        Block();
        e.ImportPrice(Tst, Px("94"));
        Assert.True(e.Apply(new FlagLiquidatable(User(9), Acct(1))).Ok);

        // Recovers through prices alone; nobody unflags. Much later it is liquidatable again.
        e.ImportPrice(Tst, Px("100"));
        for (int i = 0; i < 120; i++)
        {
            Block();
        }

        e.ImportPrice(Tst, Px("94"));
        Assert.Equal(ErrorCode.BackstopNotYet, e.Apply(new BackstopLiquidate(User(9), Acct(1), Perp)).Code);
        Assert.True(e.Apply(new FlagLiquidatable(User(9), Acct(1))).Ok);
        Assert.Equal(e.Height, e.Accounts.FlaggedAt(e.Accounts.Find(Acct(1))));
    }

    [Fact]
    public void The_open_interest_imf_counts_the_order_itself()
    {
        // OI band $1,000–$2,000 notional: an order that alone pushes OI to the top of the band needs 100% margin.
        var e = new Engine(Genesis());
        Assert.True(e.Apply(new UpdateMarketRisk(Gov, Perp, e.Markets[Perp].Risk with { OpenInterestLower = Usd("1000"), OpenInterestUpper = Usd("2000") })).Ok);
        e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("1500")));
        Assert.Equal(ErrorCode.InitialHealthViolated, e.Apply(Order(1, "20")).Code);
        Assert.True(e.Apply(Order(1, "9")).Ok);
    }
}
