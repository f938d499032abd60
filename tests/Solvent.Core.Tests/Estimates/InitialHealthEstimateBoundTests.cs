using CsCheck;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Estimates;

/// <summary>
/// The initial-health estimate (behind the borrow/withdraw shortcut and the opening-order shortcut) is a
/// lower bound on exact lending initial health for every weight governance may set — liability weights up
/// to 10 included, where one quantum of debt rounding costs up to ten quantums of value — and for random
/// indexes, stable prices and balances.
/// </summary>
public class InitialHealthEstimateBoundTests
{
    private static readonly Config.Genesis Venue = ExampleGenesis();

    private static readonly Gen<UInt128> GenIndex =
        Gen.Select(Gen.ULong[1000, 3000], Gen.ULong).Select(t => (Precision.Ray * t.Item1 / 1000) + (t.Item2 % 1_000_000_000_000_000_000UL));

    // USD × 1e8 from 1e-8 to 1e7 USD, log-spread.
    private static readonly Gen<long> GenPrice =
        Gen.Select(Gen.Int[1, 15], Gen.Long[1, long.MaxValue]).Select(t => 1 + (t.Item2 % (long)Precision.Pow10(t.Item1)));

    private static readonly Gen<long> GenBalance =
        Gen.Select(Gen.Int[0, 50], Gen.Long, Gen.Int[0, 3]).Select(t => t.Item3 == 0 ? 0 : t.Item2 % (1L << t.Item1));

    // Initial liability weight 1 to 10, asset weight 0 to 1 (ppm).
    private static readonly Gen<(UInt128 Supply, UInt128 Borrow, long Price, long Stable, long AssetWeight, long LiabilityWeight, long Balance)[]> GenBook =
        Gen.Select(GenIndex, GenIndex, GenPrice, Gen.Int[-20, 20], Gen.Long[0, 1_000_000], Gen.Long[1_000_000, 10_000_000], GenBalance)
           .Select(t => (t.Item1, t.Item2, t.Item3, t.Item3 + (t.Item3 / 100 * t.Item4), t.Item5, t.Item6, t.Item7)).Array[5];

    [Fact]
    public void Estimate_never_exceeds_exact_initial_health()
    {
        int answered = 0;
        GenBook.Sample(
            book =>
            {
                AssetPool[] pools = new Engine(Venue).Pools;
                var scaled = new long[pools.Length];
                for (int a = 0; a < pools.Length; a++)
                {
                    var b = book[a];
                    pools[a].Risk = pools[a].Risk with { InitialAssetWeight = b.AssetWeight, InitialLiabilityWeight = b.LiabilityWeight, Collateral = true };
                    pools[a].SupplyIndex = b.Supply;
                    pools[a].BorrowIndex = b.Borrow;
                    pools[a].Price = b.Price;
                    pools[a].SetInitialPrices(System.Math.Max(1, System.Math.Min(b.Price, b.Stable)), System.Math.Max(b.Price, b.Stable));
                    scaled[a] = b.Balance;
                }

                Int128 exact = HealthCalculator.Evaluate(scaled, pools).InitialHealth;

                // Asks "is the estimate minus its error bound above the exact figure?": never, for a bound.
                bool above = new InitialHealthEstimate(pools).ClearlyNonNegative(scaled, -exact - 1);
                Assert.False(above, $"estimate above exact initial health {exact}");
                if (new InitialHealthEstimate(pools).ClearlyNonNegative(scaled, -exact + 1_000_000))
                {
                    answered++;
                }
            },
            iter: 8_000,
            threads: 1);
        Assert.True(answered > 500, $"the estimate answered only {answered} times");
    }

    [Fact]
    public void A_debt_rounded_up_a_quantum_at_liability_weight_ten_stays_below_the_bound()
    {
        AssetPool[] pools = new Engine(Venue).Pools;
        const int Btc = 3;
        AssetPool p = pools[Btc];
        p.Risk = p.Risk with { InitialLiabilityWeight = 10_000_000, MaintenanceLiabilityWeight = 10_000_000 };

        // One scaled unit at an index just above a ray owes two quantums (rounded up): 2 × 600 × 10 in value.
        p.BorrowIndex = Precision.Ray + 1;
        var scaled = new long[pools.Length];
        scaled[Btc] = -1;
        Int128 exact = HealthCalculator.Evaluate(scaled, pools).InitialHealth;
        Assert.Equal(-12_000, exact);
        Assert.False(new InitialHealthEstimate(pools).ClearlyNonNegative(scaled, -exact - 1), "the estimate claims more than the exact initial health");
    }

    [Fact]
    public void Sums_beyond_64_bits_are_undecided_not_an_overflow()
    {
        // Three supplies each weighted near 2^62 value units: each term fits, their 64-bit sum does not.
        AssetPool[] pools = new Engine(Venue).Pools;
        var scaled = new long[pools.Length];
        for (int a = 0; a < 3; a++)
        {
            pools[a].Risk = pools[a].Risk with { InitialAssetWeight = 1_000_000, MaintenanceAssetWeight = 1_000_000 };
            scaled[a] = checked((long)((Int128)pools[a].ValueDivisor * 3_500_000_000_000_000_000 / pools[a].Price));
        }

        Int128 exact = HealthCalculator.Evaluate(scaled, pools).InitialHealth;
        Assert.True(exact > long.MaxValue, $"exact {exact}");
        Assert.False(new InitialHealthEstimate(pools).ClearlyNonNegative(scaled, 0));
    }
}
