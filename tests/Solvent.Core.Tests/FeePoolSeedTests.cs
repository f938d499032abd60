using System.Text;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.State;
using Solvent.Core.Tests.Settlement;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>Genesis <c>feePool</c> seeds: parsing, booking as protocol capital, and repegs they pay for.</summary>
public class FeePoolSeedTests
{
    private static string Seed(string amount) => $", \"feePool\": \"{amount}\"";

    [Fact]
    public void A_missing_seed_is_zero_and_a_given_one_is_read_in_quote_quantums()
    {
        Assert.Equal(0, PerpVenue.Genesis().Markets[Perp].FeePoolSeed);
        Assert.Equal(250_000_000_000, PerpVenue.Genesis(Seed("250000")).Markets[Perp].FeePoolSeed);
        Assert.Equal(1_500_000, PerpVenue.Genesis(Seed(" 1.5 ")).Markets[Perp].FeePoolSeed);
        Assert.Equal(PerpMarketConfig.MaxFeePoolSeed, PerpVenue.Genesis(Seed("1000000000")).Markets[Perp].FeePoolSeed);
        Assert.Equal(0, PerpVenue.Genesis(", \"feePool\": null").Markets[Perp].FeePoolSeed);
    }

    [Theory]
    [InlineData("\"-1\"", "must be between 0 and 1000000000")]
    [InlineData("\"1000000000.000001\"", "must be between 0 and 1000000000")]
    [InlineData("\"99999999999999999999\"", "perpMarkets[0].feePool: TST-PERP:")]
    [InlineData("\"1.0000001\"", "perpMarkets[0].feePool: TST-PERP:")]
    [InlineData("\"1e6\"", "perpMarkets[0].feePool: TST-PERP:")]
    [InlineData("\"\"", "perpMarkets[0].feePool: TST-PERP:")]
    [InlineData("1000", "must be a decimal string")]
    [InlineData("true", "must be a decimal string")]
    [InlineData("{}", "must be a decimal string")]
    public void A_bad_seed_is_refused_with_an_error_naming_the_market(string value, string expected)
    {
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(Json($", \"feePool\": {value}")));
        string error = Assert.Single(e.Errors);
        Assert.StartsWith("perpMarkets[0].feePool: TST-PERP: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custody_venue_refuses_a_seed_no_vault_holds_but_accepts_zero()
    {
        string bridged(string extra) => Json(extra).Replace("\"quoteAsset\": \"USDC\",", "\"quoteAsset\": \"USDC\"," + SettlementVenue.Settlement("bridged") + ",", StringComparison.Ordinal);
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(bridged(Seed("1"))));
        Assert.Contains("perpMarkets[0].feePool: TST-PERP: must be 0 on a venue with a settlement block", Assert.Single(e.Errors), StringComparison.Ordinal);
        Assert.NotNull(GenesisLoader.Parse(bridged(Seed("0"))).Settlement);
    }

    [Fact]
    public void Seeds_that_together_pass_the_cash_bound_are_refused()
    {
        string market = PerpVenue.Json(Seed("1000000000")).Split("\"perpMarkets\": [")[1].Split(']')[0].Trim();
        string Venue(int n)
        {
            var sb = new StringBuilder(PerpVenue.Json().Split("\"perpMarkets\": [")[0]).Append("\"perpMarkets\": [");
            for (int i = 0; i < n; i++)
            {
                sb.Append(i == 0 ? "" : ",").Append(market.Replace("TST-PERP", $"P{i}-PERP", StringComparison.Ordinal));
            }

            return sb.Append("] }").ToString();
        }

        // 2,305 seeds of 10⁹ units stay below (2⁶³ − 1) / 4 quantums; 2,306 do not.
        Assert.Equal(2305, GenesisLoader.Parse(Venue(2305)).Markets.Count);
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(Venue(2306)));
        Assert.Contains("perpMarkets: the feePool seeds add up to more than", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_seed_leaves_the_genesis_state_root_unchanged_and_a_seed_changes_it()
    {
        byte[] none = new Engine(PerpVenue.Genesis()).ComputeStateRoot();
        Assert.Equal(none, new Engine(PerpVenue.Genesis(Seed("0"))).ComputeStateRoot());
        Assert.NotEqual(none, new Engine(PerpVenue.Genesis(Seed("0.000001"))).ComputeStateRoot());
    }

    [Fact]
    public void A_seed_is_booked_as_capital_so_both_ledgers_balance_from_genesis_and_survive_a_snapshot()
    {
        Genesis g = PerpVenue.Genesis(Seed("10000"));
        var e = new Engine(g);
        PerpMarket m = e.Markets[Perp];
        AssetPool q = e.Pools[Usdc];
        Assert.Equal(Usd("10000"), m.FeePool);
        Assert.Equal(-Usd("10000"), m.SettledPnl);
        Assert.Equal(0, m.Insurance);
        Assert.Equal(0, q.Insurance);
        Assert.Equal(0, q.Treasury);
        Assert.Equal(0, q.RoundingSurplus);

        // No account holds the seed: nothing is lendable or withdrawable from it, yet the cash is there.
        Assert.Equal(Usd("10000"), q.Cash);
        Assert.Equal(0, q.SupplyClaims);
        AssertLedgers(e, externalCash: Usd("10000"));

        Engine back = Engine.RestoreSnapshot(g, e.SaveSnapshot(), e.ComputeStateRoot());
        Assert.Equal(m.FeePool, back.Markets[Perp].FeePool);
        Assert.Equal(q.Cash, back.Pools[Usdc].Cash);
    }

    /// <summary>Users net long 500 TST: a repeg up makes the AMM pay them more on the way out.</summary>
    private static Engine NetLong(string seed)
    {
        var e = new Engine(PerpVenue.Genesis(seed.Length == 0 ? "" : Seed(seed)));
        Assert.True(e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("100000"))).Ok);
        Assert.True(e.Apply(Order(1, "500")).Ok);
        Assert.True(e.Apply(new SetOraclePrice(Gov, Tst, Px("101"))).Ok);
        return e;
    }

    [Fact]
    public void A_repeg_refused_at_an_empty_pool_is_paid_by_a_seeded_one()
    {
        Engine empty = NetLong("");
        Assert.Equal(0, empty.Markets[Perp].FeePool);
        byte[] root = empty.ComputeStateRoot();
        ActionResult refused = empty.Apply(new RepegAmm(Gov, Perp, Px("101")));
        Assert.Equal(ErrorCode.AdjustmentTooExpensive, refused.Code);
        Assert.Equal(root, empty.ComputeStateRoot());

        Engine seeded = NetLong("10000");
        ActionResult ok = seeded.Apply(new RepegAmm(Gov, Perp, Px("101")));
        Assert.True(ok.Ok, ok.Message);
        long cost = ok.Events.OfType<AmmAdjusted>().Single().Cost;

        // Drift's repeg cost for a net-long book: about Δprice × net size = $1 × 500.
        Assert.InRange(cost, Usd("490"), Usd("510"));
        Assert.Equal(Usd("10000") - cost, seeded.Markets[Perp].FeePool);
        AssertLedgers(seeded, Usd("100000") + Usd("10000"));
    }

    [Fact]
    public void What_a_seeded_repeg_pays_the_longs_settles_into_withdrawable_cash_the_seed_backs()
    {
        Engine e = NetLong("10000");
        long cost = e.Apply(new RepegAmm(Gov, Perp, Px("101"))).Events.OfType<AmmAdjusted>().Single().Cost;
        Assert.True(e.Apply(Order(1, "-500")).Ok);
        int id = e.Accounts.Find(Acct(1));
        Assert.Equal(0, e.Accounts.Size(id, Perp));
        Assert.Equal(0, e.Accounts.Quote(id, Perp));
        long balance = e.Pools[Usdc].ScaledToSupply(e.Accounts.Scaled(id, Usdc));

        // The AMM sold at about 100 and bought back at about 101 after the repeg: the user's gain is the repeg's cost.
        Assert.InRange(balance - Usd("100000"), cost - Usd("2"), cost);
        Assert.True(e.Apply(new Withdraw(User(1), Acct(1), Usdc, balance)).Ok);
        AssertLedgers(e, Usd("100000") + Usd("10000") - balance);
        Assert.True(e.Pools[Usdc].Cash >= e.Markets[Perp].FeePool, "the fee pool left is still backed by cash");
    }

    [Fact]
    public void Governance_tops_a_fee_pool_up_from_the_market_insurance_only_as_far_as_the_fund_holds()
    {
        var e = new Engine(PerpVenue.Genesis());
        Assert.True(e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("100000"))).Ok);
        Assert.True(e.Apply(new FundMarketInsurance(User(1), Acct(1), Perp, Usd("3000"))).Ok);
        PerpMarket m = e.Markets[Perp];
        byte[] root = e.ComputeStateRoot();
        foreach ((EngineAction a, ErrorCode code) in new (EngineAction, ErrorCode)[]
        {
            (new TopUpFeePool(User(1), Perp, Usd("1")), ErrorCode.Unauthorized),
            (new TopUpFeePool(Gov, 1, Usd("1")), ErrorCode.UnknownMarket),
            (new TopUpFeePool(Gov, Perp, 0), ErrorCode.InvalidAmount),
            (new TopUpFeePool(Gov, Perp, -Usd("1")), ErrorCode.InvalidAmount),
            (new TopUpFeePool(Gov, Perp, long.MinValue), ErrorCode.InvalidAmount),
            (new TopUpFeePool(Gov, Perp, Usd("3000") + 1), ErrorCode.InsufficientBalance),
            (new TopUpFeePool(Gov, Perp, long.MaxValue), ErrorCode.InsufficientBalance),
        })
        {
            ActionResult r = e.Apply(a);
            Assert.True(code == r.Code, $"{a}: {r.CodeName} {r.Message}");
            Assert.Equal(root, e.ComputeStateRoot());
        }

        ActionResult ok = e.Apply(new TopUpFeePool(Gov, Perp, Usd("1000")));
        Assert.True(ok.Ok, ok.Message);
        Assert.Equal(new FeePoolToppedUp(Perp, Usd("1000"), Usd("1000"), Usd("2000")), ok.Events.OfType<FeePoolToppedUp>().Single());
        Assert.Equal(Usd("1000"), m.FeePool);
        Assert.Equal(Usd("2000"), m.Insurance);
        AssertLedgers(e, Usd("100000"));

        // The topped-up pool now pays the repeg an empty one refused.
        Assert.True(e.Apply(Order(1, "500")).Ok);
        Assert.True(e.Apply(new SetOraclePrice(Gov, Tst, Px("101"))).Ok);
        Assert.True(e.Apply(new RepegAmm(Gov, Perp, Px("101"))).Ok);
        Assert.True(e.Apply(new TopUpFeePool(Gov, Perp, Usd("2000"))).Ok);
        Assert.Equal(0, m.Insurance);
        Assert.Equal(ErrorCode.InsufficientBalance, e.Apply(new TopUpFeePool(Gov, Perp, 1)).Code);
        AssertLedgers(e, Usd("100000"));
    }
}
