using CsCheck;
using Solvent.Core.Actions;
using static Solvent.Core.Tests.OracleVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Property on the oracle genesis (five publishers, quorum 3 = 2f + 1 with f = 1, maxAge 120 s, maxMove
/// 10%, by default 0.1/60 per second): with at most f liars, whatever they report and whoever skips a
/// block, every aggregate stays between the old price and the fresh honest reports, and moves at most
/// the time bound since the last accepted aggregate. The model below tracks freshness itself.
/// </summary>
public sealed class OracleFaultToleranceProperties
{
    private const long MaxMovePpm = 100_000, PerSecondPpm = 1667, MaxAge = 120;

    [Fact]
    public void At_most_f_liars_never_move_the_price_outside_the_honest_reports_or_faster_than_the_time_bound()
    {
        // The liar's slot; per block: seconds elapsed, true price move (‰), which of the five report (mask), the lie (‰ of truth).
        Gen.Select(Gen.Int[1, 5], Gen.Select(Gen.Int[1, 90], Gen.Int[900, 1100], Gen.Int[0, 31], Gen.Int[1, 100_000]).Array[40])
            .Sample(
                run =>
                {
                    (int liar, var steps) = run;
                    var o = new OracleVenue();
                    long truth = o.Price(ETH), accepted = o.Now;
                    var lastTime = new long[6];
                    var lastPrice = new long[6];
                    foreach ((int dt, int move, int mask, int lie) in steps)
                    {
                        long now = o.Now + dt;
                        truth = truth * move / 1000;
                        var actions = new List<EngineAction>();
                        for (int p = 1; p <= 5; p++)
                        {
                            if ((mask & (1 << (p - 1))) == 0)
                            {
                                continue;
                            }

                            long px = p == liar ? System.Math.Max(1, truth * lie / 1000) : truth;
                            actions.Add(new PriceReport(Publisher(p), ETH, px, 0, now));
                            (lastTime[p], lastPrice[p]) = (now, px);
                        }

                        long old = o.Price(ETH);
                        o.Wait(dt, [.. actions]);
                        long lo = long.MaxValue, hi = long.MinValue;
                        int fresh = 0;
                        for (int p = 1; p <= 5; p++)
                        {
                            if (lastTime[p] > 0 && now - lastTime[p] <= MaxAge)
                            {
                                fresh++;
                                if (p != liar)
                                {
                                    lo = System.Math.Min(lo, lastPrice[p]);
                                    hi = System.Math.Max(hi, lastPrice[p]);
                                }
                            }
                        }

                        long price = o.Price(ETH);
                        if (actions.Count == 0 || fresh < 3)
                        {
                            Assert.Equal(old, price);
                            continue;
                        }

                        Assert.True(price >= System.Math.Min(old, lo) && price <= System.Math.Max(old, hi), $"{old} → {price} outside the honest reports [{lo}, {hi}]");
                        long bound = old * System.Math.Min(MaxMovePpm, PerSecondPpm * (now - accepted)) / 1_000_000;
                        Assert.True(System.Math.Abs(price - old) <= bound, $"{old} → {price} in {now - accepted} s, bound {bound}");
                        accepted = now;
                    }
                },
                iter: 60,
                threads: 1);
    }
}
