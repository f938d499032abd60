using CsCheck;
using Solvent.Core.Perps;

namespace Solvent.Core.Tests.Estimates;

/// <summary>
/// The 64-bit comparison of the fill price band agrees with the 128/256-bit one everywhere, with fills
/// drawn right at the band's edges (where a rounding slip would show) as well as anywhere.
/// </summary>
public class FillPriceBandFastPathTests
{
    private static readonly long[] Divisors = [1, 100, 10_000_000, 100_000_000, 100_000_000_000, 1_000_000_000_000_000];

    [Fact]
    public void Fast_and_wide_comparisons_agree_at_and_around_the_edges()
    {
        int inside = 0, outside = 0;
        Gen.Select(Gen.Long[1, long.MaxValue / 1000], Gen.Long[1, 1L << 40], Gen.Int[0, Divisors.Length - 1], Gen.Long[0, 500_000], Gen.Int[-3, 3], Gen.Bool, Gen.Bool)
            .Sample(
                t =>
                {
                    (long index, long size, int d, long band, int nudge, bool above, bool sell) = t;
                    long div = Divisors[d];

                    // The quote whose value sits at the band's edge, nudged by a few quantums either way.
                    Int128 fair = (Int128)index * size;
                    Int128 edge = above ? fair + (fair * band / 1_000_000) : fair - (fair * band / 1_000_000);
                    Int128 quote128 = (edge / div) + nudge;
                    if (quote128 <= 0 || quote128 > long.MaxValue)
                    {
                        return;
                    }

                    long quote = sell ? -(long)quote128 : (long)quote128;
                    long signedSize = sell ? -size : size;
                    bool fast = FillPriceBand.Contains(quote, signedSize, index, div, band);
                    Assert.Equal(FillPriceBand.ContainsWide(quote, signedSize, index, div, band), fast);
                    _ = fast ? inside++ : outside++;
                },
                iter: 50_000,
                threads: 1);
        Assert.True(inside > 1_000 && outside > 1_000, $"inside {inside}, outside {outside}");
    }

    [Fact]
    public void Edge_of_the_band_is_inside_and_one_unit_past_is_outside()
    {
        // Index $100 (1e10), 1 unit of a 9-decimal base (div 1e11), band 5%: fair value 1e19 value units,
        // allowance 5e17, so a quote of 105 USD (1.05e8 quantums × 1e11) is on the edge.
        Assert.True(FillPriceBand.Contains(105_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000, 50_000));
        Assert.False(FillPriceBand.Contains(105_000_001, 1_000_000_000, 10_000_000_000, 100_000_000_000, 50_000));
        Assert.True(FillPriceBand.Contains(-95_000_000, -1_000_000_000, 10_000_000_000, 100_000_000_000, 50_000));
        Assert.False(FillPriceBand.Contains(-94_999_999, -1_000_000_000, 10_000_000_000, 100_000_000_000, 50_000));
    }
}
