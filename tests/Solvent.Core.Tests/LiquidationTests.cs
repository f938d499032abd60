using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Math;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

public class LiquidationTests
{
    /// <summary>Target 2 holds 1 ETH and owes <paramref name="debt"/> USDC; keeper 3 has 10,000 USDC; lender 1 supplies 1,000,000 USDC.</summary>
    private static TestVenue Setup(string debt, Config.Genesis? g = null)
    {
        var v = new TestVenue(g);
        v.Deposit(1, USDC, "1000000");
        v.Deposit(2, ETH, "1");
        v.Borrow(2, USDC, debt);
        v.Deposit(3, USDC, "10000");
        return v;
    }

    [Fact]
    public void Published_vector_repaying_1000_usdc_seizes_0_525_eth()
    {
        // ETH at $2,000, penalty 5%, protocol share 10%: 0.525 ETH seized, 0.0025 to the fund, 0.5225 to the keeper.
        var v = Setup("2000");
        v.Price(ETH, "2000");
        Assert.True(v.Health(2).IsLiquidatable);
        ActionResult r = v.MustDo(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "1000")));
        var e = Assert.Single(r.Events.OfType<Liquidated>());
        Assert.Equal(v.Q(USDC, "1000"), e.Repaid);
        Assert.Equal(v.Q(ETH, "0.525"), e.Seized);
        Assert.Equal(v.Q(ETH, "0.0025"), e.ToInsurance);
        Assert.Equal(v.Q(ETH, "0.5225"), e.ToLiquidator);
        Assert.Equal(v.Q(ETH, "0.5225"), v.Balance(3, ETH));
        Assert.Equal(v.Q(ETH, "0.475"), v.Balance(2, ETH));
        Assert.Equal(-v.Q(USDC, "1000"), v.Balance(2, USDC));
        Assert.Equal(v.Q(USDC, "9000"), v.Balance(3, USDC));
        Assert.Equal(v.Q(ETH, "0.0025"), v.Engine.Pools[ETH].Insurance);
    }

    [Fact]
    public void Above_health_factor_0_95_at_most_half_the_debt_is_repaid()
    {
        // Health target set out of reach so only the 50% close factor binds.
        var g = ExampleGenesis();
        g = g with { Liquidation = g.Liquidation with { HealthTarget = 9 * Precision.Wad, DustThreshold = 0 } };
        var v = Setup("2400", g);
        v.Price(ETH, "2850");
        long hf = (long)v.Health(2).HealthFactorWad!.Value;
        Assert.InRange(hf, 950_000_000_000_000_001, 999_999_999_999_999_999);
        var r = v.MustDo(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "2400")));
        Assert.Equal(v.Q(USDC, "1200"), r.Events.OfType<Liquidated>().Single().Repaid);
    }

    [Fact]
    public void Partial_liquidation_stops_at_the_health_target()
    {
        var v = Setup("2400");
        v.Price(ETH, "2850");
        var r = v.MustDo(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "2400")));
        long repaid = r.Events.OfType<Liquidated>().Single().Repaid;

        // v = (1.05·2400 − 0.83·2850) / (1.05 − 0.83·1.05) = 865.546…  USDC
        decimal need = ((1.05m * 2400m) - (0.83m * 2850m)) / (1.05m - (0.83m * 1.05m));
        Assert.Equal((long)decimal.Ceiling(need * 1_000_000m), repaid);
        long hfAfter = (long)v.Health(2).HealthFactorWad!.Value;
        Assert.InRange(hfAfter, 1_050_000_000_000_000_000, 1_050_100_000_000_000_000);
    }

    [Fact]
    public void Below_0_95_the_whole_debt_may_be_repaid()
    {
        var v = Setup("1500");
        v.Price(ETH, "1700");
        Assert.True(v.Health(2).HealthFactorWad < 950_000_000_000_000_000);
        var r = v.MustDo(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "5000")));
        Assert.Equal(v.Q(USDC, "1500"), r.Events.OfType<Liquidated>().Single().Repaid);
        Assert.Equal(0, v.Balance(2, USDC));
    }

    [Fact]
    public void A_liquidation_never_leaves_dust_debt()
    {
        var v = Setup("2000");
        v.Price(ETH, "2000");
        byte[] root = v.Engine.ComputeStateRoot();
        var r = v.Do(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "1500")));
        Assert.Equal(ErrorCode.LiquidationLeavesDust, r.Code);
        Assert.Equal(root, v.Engine.ComputeStateRoot());
        v.MustDo(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "2000")));
        Assert.Equal(0, v.Balance(2, USDC));
    }

    [Fact]
    public void Bad_debt_is_paid_by_insurance_then_socialized_over_suppliers()
    {
        var v = Setup("2400");
        v.MustDo(new FundInsurance(User(9), USDC, v.Q(USDC, "500")));
        v.Price(ETH, "1000");
        var pool = v.Engine.Pools[USDC];
        long supplyBefore = pool.SupplyClaims;
        long lenderBefore = v.Balance(1, USDC);

        var r = v.MustDo(new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "2400")));

        // All 1 ETH is seized; it pays 1000 / 1.05 = 952.380952 USDC of debt.
        var liq = r.Events.OfType<Liquidated>().Single();
        Assert.Equal(v.Q(ETH, "1"), liq.Seized);
        Assert.Equal(952_380_952, liq.Repaid);
        long remaining = v.Q(USDC, "2400") - liq.Repaid;
        Assert.Equal(remaining, r.Events.OfType<BadDebtRealized>().Single().Amount);
        Assert.Equal(v.Q(USDC, "500"), r.Events.OfType<InsuranceCovered>().Single().Amount);
        var soc = r.Events.OfType<LossSocialized>().Single();
        Assert.Equal(remaining - v.Q(USDC, "500"), soc.Amount);
        Assert.True(soc.NewSupplyIndex < soc.OldSupplyIndex);

        Assert.Equal(0, v.Balance(2, USDC));
        Assert.Equal(0, pool.Insurance);
        Assert.Equal(0, pool.BadDebt);

        // Suppliers lose the socialized amount (the keeper's own 9,047 USDC supply shares in it), never less.
        long supplyDrop = supplyBefore - liq.Repaid - pool.SupplyClaims;
        Assert.InRange(supplyDrop, soc.Amount, soc.Amount + 2);
        long lenderLoss = lenderBefore - v.Balance(1, USDC);
        decimal share = 1_000_000m / (1_000_000m + 10_000m - 952.380952m);
        Assert.InRange(lenderLoss, (long)((soc.Amount * share) - 2), (long)((soc.Amount * share) + 2));
    }
}
