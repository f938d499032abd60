using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Risk;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>The incremental index's liquidatable set equals a full exact scan after every tick.</summary>
public class RiskIndexTests
{
    internal readonly record struct Step(int Kind, int Feed, int Feed2, int Move, int Account);

    private static readonly Gen<Step[]> Steps =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[-3000, 3000], Gen.Int[0, 399])
           .Select(t => new Step(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5)).Array[250];

    /// <summary>400 accounts, 1–5 exposures each, health from deep to barely solvent.</summary>
    internal static Engine RandomBook(int seed, int n, Config.Genesis? genesis = null)
    {
        var e = new Engine(genesis ?? ExampleGenesis());
        var rng = new Random(seed);
        e.ImportBalance(Acct(100_000), MarginMode.Cross, USDC, 1_000_000_000_000_000);
        for (int i = 0; i < n; i++)
        {
            AccountKey k = Acct(i);
            int coll = rng.Next(0, 5);
            long usd = rng.Next(1_000, 1_000_000);
            e.ImportBalance(k, MarginMode.Cross, coll, Worth(e, coll, usd));
            if (rng.Next(3) == 0)
            {
                int c2 = rng.Next(0, 5);
                e.ImportBalance(k, MarginMode.Cross, c2, Worth(e, c2, rng.Next(1_000, 300_000)));
            }

            int exposures = rng.Next(0, 4);
            for (int x = 0; x < exposures; x++)
            {
                double ltv = 0.05 + (rng.NextDouble() * 0.75);
                long debtUsd = (long)(usd * ltv / exposures);
                if (rng.Next(2) == 0)
                {
                    int d = rng.Next(0, 5);
                    if (d != coll)
                    {
                        e.ImportBalance(k, MarginMode.Cross, d, -Worth(e, d, debtUsd));
                    }
                }
                else
                {
                    int m = rng.Next(0, e.Markets.Length);
                    int baseAsset = e.Markets[m].Config.BaseAsset;
                    long size = Worth(e, baseAsset, debtUsd * 5) * (rng.Next(2) == 0 ? 1 : -1);
                    long quote = -(long)Perps.FundingMath.FloorDiv((Int128)size * e.Pools[baseAsset].Price, e.Pools[baseAsset].ValueDivisor);
                    e.ImportPosition(k, MarginMode.Cross, m, size, quote);
                }
            }
        }

        return e;
    }

    internal static long Worth(Engine e, int asset, long usd) =>
        checked((long)((Int128)usd * 1_000_000 * e.Pools[asset].ValueDivisor / e.Pools[asset].Price));

    [Fact]
    public void Index_set_equals_full_scan_over_random_books_and_ticks() => CheckIndexAgainstScans(ExampleGenesis(), iter: 12);

    /// <summary>Random books on <paramref name="genesis"/>: after every step the index set, the FastScan set and the exact scan are equal.</summary>
    internal static void CheckIndexAgainstScans(Config.Genesis genesis, int iter)
    {
        Gen.Select(Gen.Int, Steps).Sample((seed, steps) =>
        {
            Engine e = RandomBook(seed, 400, genesis);
            var index = new RiskIndex(e);
            Assert.Equal(RiskIndex.FullScan(e), index.Tick());
            long t = e.Time;
            foreach (Step s in steps)
            {
                switch (s.Kind)
                {
                    case <= 3:
                        Move(e, s.Feed, s.Move / (s.Kind == 0 ? 1 : 10));
                        break;
                    case 4:
                        Move(e, s.Feed, s.Move / 10);
                        Move(e, s.Feed2, -s.Move / 7);
                        break;
                    case 5:
                        // A gap: a large move in one tick (clamped to 1/20–20× of the genesis price).
                        Move(e, s.Feed, s.Move * 10);
                        break;
                    case 6:
                        // An account change and a price move between the same two ticks.
                        Move(e, s.Feed2, s.Move / 5);
                        e.ImportBalance(Acct(s.Account), MarginMode.Cross, s.Feed, -Worth(e, s.Feed, 1 + System.Math.Abs(s.Move) * 10));
                        break;
                    case 7:
                        e.ImportPosition(Acct(s.Account), MarginMode.Cross, s.Feed % 3, Worth(e, e.Markets[s.Feed % 3].Config.BaseAsset, s.Move * 20), -s.Move * 20 * 1_000_000);
                        break;
                    case 8:
                        t += 3600L * (1 + (System.Math.Abs(s.Move) % 48));
                        e.Apply(new Blocks.Block(new Blocks.BlockHeader(e.Height + 1, t, e.LastRoot), []));
                        break;
                    default:
                        var risk = e.Pools[s.Feed].Risk;
                        long w = System.Math.Clamp(risk.MaintenanceAssetWeight - (s.Move / 100), risk.InitialAssetWeight, 900_000);
                        e.Apply(new UpdateAssetRisk(Gov, s.Feed, risk with { MaintenanceAssetWeight = w }));
                        break;
                }

                List<int> exact = RiskIndex.ExactScan(e);
                Assert.Equal(exact, RiskIndex.FullScan(e));
                Assert.Equal(exact, index.Tick());
            }
        }, iter: iter, threads: 1, print: x => $"seed {x.Item1}, {x.Item2.Length} steps");
    }

    private static void Move(Engine e, int asset, int bps)
    {
        long p = e.Pools[asset].Price, p0 = e.Pools[asset].Config.InitialPrice;
        e.ImportPrice(asset, System.Math.Clamp(p + (p * bps / 10_000), p0 / 20, p0 * 20));
    }

    [Fact]
    public void An_account_written_after_prices_return_is_still_caught_by_a_later_larger_move()
    {
        Engine e = RandomBook(11, 300);
        var index = new RiskIndex(e);
        index.Tick();
        long eth = e.Pools[ETH].Price;
        Move(e, ETH, -500);
        index.Tick();
        e.ImportPrice(ETH, eth);
        index.Tick();

        // A fresh account ~3% from liquidation on ETH, written while the epoch has already processed 5%.
        var k = Acct(9_999);
        e.ImportBalance(k, MarginMode.Cross, ETH, Worth(e, ETH, 100_000));
        e.ImportBalance(k, MarginMode.Cross, USDC, -Worth(e, USDC, 80_500));
        Assert.Equal(RiskIndex.FullScan(e), index.Tick());
        Move(e, ETH, -600);
        var set = index.Tick();
        Assert.Contains(e.Accounts.Find(k), set);
        Assert.Equal(RiskIndex.ExactScan(e), set);
    }

    [Fact]
    public void A_small_move_re_evaluates_a_small_fraction_of_the_book()
    {
        Engine e = RandomBook(7, 2000);
        var index = new RiskIndex(e);
        index.Tick();
        Move(e, ETH, -100);
        var set = index.Tick();
        Assert.Equal(RiskIndex.FullScan(e), set);
        Assert.True(index.LastEvaluated < 2000 / 5, $"a 1% move evaluated {index.LastEvaluated} of 2000 accounts");
    }
}
