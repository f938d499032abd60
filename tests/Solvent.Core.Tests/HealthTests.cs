using Solvent.Core.Math;
using Solvent.Core.Risk;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

public class HealthTests
{
    [Fact]
    public void Published_vector_health_factor_is_1_35()
    {
        // $10,000 at liquidation threshold 0.825 and $5,000 at 0.78 against $9,000 of debt.
        var g = With(ExampleGenesis(), ETH, r => r with { MaintenanceAssetWeight = 825_000 });
        var v = new TestVenue(g);
        v.Price(ETH, "2000");
        v.Price(WBTC, "50000");
        v.Deposit(1, USDT, "100000");
        v.Deposit(2, ETH, "5");
        v.Deposit(2, WBTC, "0.1");
        v.Borrow(2, USDT, "9000");
        Health h = v.Health(2);
        Assert.Equal(1_350_000_000_000_000_000, (long)h.HealthFactorWad!.Value);
        Assert.Equal(15_000_000_000, (long)h.CollateralValue);
        Assert.Equal(9_000_000_000, (long)h.DebtValue);
        Assert.Equal(12_150_000_000, (long)h.MaintenanceCollateral);
        Assert.Equal(3_150_000_000, (long)h.MaintenanceHealth);
        Assert.Equal(10_000_000_000 * 805 / 1000 + (5_000_000_000 * 73 / 100) - 9_000_000_000, (long)h.InitialHealth);
    }

    [Fact]
    public void No_liabilities_means_infinite_health_factor()
    {
        var v = new TestVenue();
        v.Deposit(1, ETH, "1");
        Assert.Null(v.Health(1).HealthFactorWad);
        Assert.False(v.Health(1).IsLiquidatable);
    }

    [Fact]
    public void Liquidation_price_of_collateral_is_where_maintenance_health_crosses_zero()
    {
        var v = new TestVenue();
        v.Deposit(1, USDC, "1000000");
        v.Deposit(2, ETH, "10");
        v.Borrow(2, USDC, "15000");
        int id = v.Engine.Accounts.Find(Acct(2));
        long? p = v.Engine.LiquidationPriceOf(id, ETH);

        // 10 ETH × p × 0.83 = 15,000 ⇒ p = 1807.2289156626…; the engine rounds collateral value down
        // to 1e-6 USD, so its edge sits at most a few price ticks above the closed form.
        decimal exact = 15000m / (10m * 0.83m);
        long closedForm = (long)decimal.Ceiling(exact * 100_000_000m);
        Assert.InRange(p!.Value, closedForm, closedForm + 20);

        v.Price(ETH, DecimalString.Format(p!.Value, 8));
        Assert.False(v.Health(2).IsLiquidatable);
        v.MustDo(new Actions.SetOraclePrice(Gov, ETH, p.Value - 1));
        Assert.True(v.Health(2).IsLiquidatable);

        // Debt side: USDC at 1.66 makes 15,000 USDC worth 24,900 = 10 × 3000 × 0.83.
        v.Price(ETH, "3000");
        long? debtPrice = v.Engine.LiquidationPriceOf(id, USDC);
        Assert.Equal(Px("1.66"), debtPrice);
        v.Price(USDC, "1.66");
        Assert.False(v.Health(2).IsLiquidatable);
        v.Price(USDC, "1.66000001");
        Assert.True(v.Health(2).IsLiquidatable);
    }

    [Fact]
    public void Collateral_disabled_asset_counts_for_nothing()
    {
        var g = With(ExampleGenesis(), SOL, r => r with { Collateral = false });
        var v = new TestVenue(g);
        v.Deposit(1, USDC, "100000");
        v.Deposit(2, SOL, "100");
        var r = v.Do(new Actions.Borrow(User(2), Acct(2), USDC, v.Q(USDC, "1")));
        Assert.Equal(Actions.ErrorCode.InitialHealthViolated, r.Code);
        Assert.Equal(0, (long)v.Health(2).InitialCollateral);
    }
}
