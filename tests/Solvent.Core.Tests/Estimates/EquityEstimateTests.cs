using CsCheck;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Estimates;

/// <summary>
/// The fixed-point equity bound is a bound: over random indexes (½ to 50 rays), prices (1e-8 to 1e7 USD)
/// and signed balances of every magnitude, whenever it answers, its figure is at most the exact Σ of
/// balance values (supply rounded down, debt up, as equity counts them), no exact conversion of an
/// accepted balance overflows, and it is within a small margin of the exact figure (it is useful).
/// </summary>
public class EquityEstimateTests
{
    private static readonly Gen<UInt128> GenIndex =
        Gen.Select(Gen.ULong[500, 50_000], Gen.ULong).Select(t => (Precision.Ray * t.Item1 / 1000) + (t.Item2 % 1_000_000_000_000));

    // USD × 1e8 from 1e-8 to 1e7 USD, log-spread.
    private static readonly Gen<long> GenPrice =
        Gen.Select(Gen.Int[1, 15], Gen.Long[1, long.MaxValue]).Select(t => 1 + (t.Item2 % (long)Precision.Pow10(t.Item1)));

    // Magnitudes spread over the whole range: a random exponent, then a mantissa below it.
    private static readonly Gen<long> GenBalance =
        Gen.Select(Gen.Int[0, 62], Gen.Long, Gen.Int[0, 3]).Select(t => t.Item3 == 0 ? 0 : t.Item2 % (1L << t.Item1));

    private static readonly Gen<(UInt128 Supply, UInt128 Borrow, long Price, long Balance)[]> GenBook =
        Gen.Select(GenIndex, GenIndex, GenPrice, GenBalance).Array[5];

    private static readonly Config.Genesis Venue = ExampleGenesis();

    [Fact]
    public void Lower_bound_never_exceeds_the_exact_balance_values()
    {
        int answered = 0;
        GenBook.Sample(
            book =>
            {
                AssetPool[] pools = new Engine(Venue).Pools;
                var scaled = new long[pools.Length];
                for (int a = 0; a < pools.Length; a++)
                {
                    pools[a].SupplyIndex = book[a].Supply;
                    pools[a].BorrowIndex = book[a].Borrow;
                    pools[a].Price = book[a].Price;
                    scaled[a] = book[a].Balance;
                }

                var estimate = new EquityEstimate(pools);
                if (!estimate.TryLowerBound(scaled, out long lower))
                {
                    return;
                }

                answered++;
                Int128 exact = 0;
                for (int a = 0; a < pools.Length; a++)
                {
                    long s = scaled[a];
                    exact += s > 0 ? pools[a].ValueOf(pools[a].ScaledToSupply(s), Rounding.Down) : s < 0 ? -pools[a].ValueOf(pools[a].ScaledToDebt(-s), Rounding.Up) : 0;
                }

                Assert.True(lower <= exact, $"bound {lower} above exact {exact}");
                Assert.True(exact - lower < Int128.Max(1_000_000, Int128.Abs(exact) / 1_000_000), $"bound {lower} far below exact {exact}");
            },
            iter: 10_000,
            threads: 1);
        Assert.True(answered > 1_000, $"the estimate answered only {answered} times");
    }

    [Fact]
    public void A_price_change_rebuilds_the_factors()
    {
        AssetPool[] pools = new Engine(ExampleGenesis()).Pools;
        var scaled = new long[pools.Length];
        scaled[2] = 1_000_000_000;
        var estimate = new EquityEstimate(pools);
        Assert.True(estimate.TryLowerBound(scaled, out long before));
        pools[2].Price /= 2;
        Assert.True(estimate.TryLowerBound(scaled, out long after));
        Int128 exact = pools[2].ValueOf(pools[2].ScaledToSupply(scaled[2]), Rounding.Down);
        Assert.True(after <= exact && exact - after < 100, $"after {after}, exact {exact}, before {before}");
    }
}
