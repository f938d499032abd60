using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Cli.Bench;

/// <summary>
/// A synthetic venue for benchmarks: the example genesis without caps and N subaccounts with 1–5
/// exposures each (one or two collaterals, borrows, perp positions) and a health spread from deep
/// to barely solvent (maintenance LTV 10%–97%).
/// </summary>
internal static class SyntheticBook
{
    public static Genesis Genesis(string path)
    {
        Genesis g = GenesisLoader.Parse(File.ReadAllText(path));
        return g with
        {
            Risk = g.Risk.Select(r => r with { SupplyCap = 0, BorrowCap = 0 }).ToArray(),
            MarketRisk = g.MarketRisk.Select(r => r with { OpenInterestCap = 0 }).ToArray(),
        };
    }

    public static Address User(int n) => new(0x5000_0000UL + (ulong)n, (ulong)n * 2654435761UL, (uint)n);

    public static long Worth(Engine e, int asset, long usd) =>
        checked((long)((Int128)usd * 1_000_000 * e.Pools[asset].ValueDivisor / e.Pools[asset].Price));

    public static void Populate(Engine e, int n, int seed)
    {
        var rng = new Random(seed);
        int assets = e.Pools.Length;
        e.Accounts.EnsureCapacity(n + e.Accounts.Count + 1);
        e.ImportBalance(new AccountKey(User(int.MaxValue), 0), MarginMode.Cross, 0, 1_000_000_000_000_000_000);
        for (int i = 0; i < n; i++)
        {
            var k = new AccountKey(User(i), 0);
            int coll = rng.Next(assets);
            long usd = rng.Next(500, 250_000);
            e.ImportBalance(k, MarginMode.Cross, coll, Worth(e, coll, usd));
            int exposures = rng.Next(0, 5);
            double maintLtv = 0.10 + (rng.NextDouble() * 0.87);
            long budget = (long)(usd * 0.75 * maintLtv);
            for (int x = 0; x < exposures && budget > 0; x++)
            {
                long part = budget / (exposures - x);
                budget -= part;
                int kind = rng.Next(3);
                if (kind == 0)
                {
                    int c2 = rng.Next(assets);
                    e.ImportBalance(k, MarginMode.Cross, c2, Worth(e, c2, part));
                    budget += part * 3 / 4;
                }
                else if (kind == 1)
                {
                    int d = rng.Next(assets);
                    if (d != coll && e.Accounts.Scaled(e.Accounts.Find(k), d) <= 0)
                    {
                        e.ImportBalance(k, MarginMode.Cross, d, -Worth(e, d, part));
                    }
                }
                else if (e.Markets.Length > 0)
                {
                    int m = rng.Next(e.Markets.Length);
                    int b = e.Markets[m].Config.BaseAsset;
                    long size = Worth(e, b, part * 12) * (rng.Next(2) == 0 ? 1 : -1);
                    long quote = -(long)Solvent.Core.Perps.FundingMath.FloorDiv((Int128)size * e.Pools[b].Price, e.Pools[b].ValueDivisor);
                    e.ImportPosition(k, MarginMode.Cross, m, size, quote);
                }
            }
        }
    }
}
