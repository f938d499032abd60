using Solvent.Core.Config;
using Solvent.Core.Math;

namespace Solvent.Core.Tests;

/// <summary>Published Aave vectors for index accrual and the kinked rate curve.</summary>
public class InterestTests
{
    private static UInt128 RayOf(string s)
    {
        Assert.True(DecimalString.TryParse(s, 27, out Int128 v, out _));
        return (UInt128)v;
    }

    [Fact]
    public void Four_percent_for_one_year_compounds_to_the_published_factor()
    {
        UInt128 f = InterestMath.CompoundedFactor(RayOf("0.04"), Precision.SecondsPerYear);
        Assert.Equal("1.040810454360354976032448", DecimalString.Format(f, 27));
    }

    [Fact]
    public void Linear_factor_is_simple_interest()
    {
        Assert.Equal(RayOf("1.04"), InterestMath.LinearFactor(RayOf("0.04"), Precision.SecondsPerYear));
        Assert.Equal(RayOf("1.02"), InterestMath.LinearFactor(RayOf("0.04"), Precision.SecondsPerYear / 2));
    }

    [Fact]
    public void Zero_elapsed_time_leaves_indexes_unchanged()
    {
        Assert.Equal(Precision.Ray, InterestMath.CompoundedFactor(RayOf("0.5"), 0));
        Assert.Equal(Precision.Ray, InterestMath.LinearFactor(RayOf("0.5"), 0));
    }

    [Theory]
    [InlineData("0.5", "0.025", "0.01125")]
    [InlineData("0.9", "0.34", "0.2754")]
    [InlineData("1", "0.64", "0.576")]
    [InlineData("0.8", "0.04", "0.0288")]
    public void Aave_rate_curve_vectors(string utilization, string borrow, string supply)
    {
        var model = new KinkedRateModel(0, RayOf("0.04"), RayOf("0.6"), RayOf("0.8"));
        UInt128 u = RayOf(utilization);
        UInt128 b = model.BorrowRate(u);
        Assert.Equal(RayOf(borrow), b);

        // supply = borrow × U × (1 − reserve factor 10%)
        UInt128 s = FullMath.MulDiv(FullMath.MulDivRay(b, u, Rounding.Down), 900_000UL, 1_000_000UL, Rounding.Down);
        Assert.Equal(RayOf(supply), s);
    }

    [Fact]
    public void Pool_rates_follow_the_curve_at_its_utilization()
    {
        // Configure the example USDC pool with the Aave curve, bring it to 50% utilization and compare.
        var g = TestVenue.With(TestVenue.ExampleGenesis(), TestVenue.USDC, r => r with
        {
            RateModel = new KinkedRateModel(0, RayOf("0.04"), RayOf("0.6"), RayOf("0.8")),
            ReserveFactor = 100_000,
        });
        var v = new TestVenue(g);
        v.Deposit(1, TestVenue.USDC, "1000000");
        v.Deposit(2, TestVenue.ETH, "1000");
        v.Borrow(2, TestVenue.USDC, "500000");
        (UInt128 borrow, UInt128 supply) = v.Engine.Pools[TestVenue.USDC].CurrentRates();
        Assert.Equal(RayOf("0.025"), borrow);
        Assert.Equal(RayOf("0.01125"), supply);
    }

    [Fact]
    public void One_year_of_borrowing_grows_debt_by_the_compounded_factor()
    {
        var v = new TestVenue();
        v.Deposit(1, TestVenue.USDC, "1000000");
        v.Deposit(2, TestVenue.ETH, "1000");
        v.Borrow(2, TestVenue.USDC, "100000");
        var pool = v.Engine.Pools[TestVenue.USDC];
        (UInt128 rate, _) = pool.CurrentRates();
        UInt128 expectedIndex = FullMath.MulDivRay(Precision.Ray, InterestMath.CompoundedFactor(rate, Precision.SecondsPerYear), Rounding.HalfUp);
        v.Block(v.Genesis.GenesisTime + Precision.SecondsPerYear);
        Assert.Equal(expectedIndex, pool.BorrowIndex);
        Assert.True(pool.Treasury > 0, "the reserve factor must reach the treasury");
    }
}
