using System.Diagnostics;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Cli.Bench;

/// <summary>Figures of one <c>solvent bench</c> run, all measured in the same process.</summary>
internal sealed record BenchResult(
    int Accounts,
    double BuildSeconds,
    double FullScanMs,
    double FullScanSingleThreadMs,
    double IndexBuildMs,
    double TickP50Us,
    double TickP99Us,
    double IndexSpeedup,
    double TickMeanEvaluated,
    double ApplyPerSec,
    double BytesPerAccount,
    int Liquidatable,
    long ScanExactFallbacks,
    IReadOnlyDictionary<string, double> ApplyNsByAction,
    int Cores);

/// <summary>Builds the synthetic book and measures scan, index tick and Apply throughput.</summary>
internal static class BenchRunner
{
    public static BenchResult Run(string genesisPath, int accounts, int seed, Action<string> progress)
    {
        var g = SyntheticBook.Genesis(genesisPath);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var sw = Stopwatch.StartNew();
        var e = new Engine(g);
        progress($"building {accounts:N0} subaccounts");
        SyntheticBook.Populate(e, accounts, seed);
        double build = sw.Elapsed.TotalSeconds;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        double bytesPerAccount = (after - before) / (double)accounts;

        progress("full scans");
        var single = new List<double>();
        var parallel = new List<double>();
        int liquidatable = 0;
        var probe = new FastScan(e);
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            probe.IsLiquidatable(id);
        }

        long fallbacks = probe.ExactFallbacks;
        for (int r = 0; r < 5; r++)
        {
            sw.Restart();
            liquidatable = RiskIndex.FullScan(e).Count;
            single.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            ParallelScan(e);
            parallel.Add(sw.Elapsed.TotalMilliseconds);
        }

        progress("index ticks");
        sw.Restart();
        var index = new RiskIndex(e);
        index.Tick();
        double indexBuild = sw.Elapsed.TotalMilliseconds;
        var ticks = new List<double>();
        long evaluated = 0;
        int[] feeds = [2, 3, 4];
        for (int t = 0; t < 200; t++)
        {
            // A 1% move of one feed, alternating down and back, so the epoch stays near its reference.
            int feed = feeds[(t / 2) % feeds.Length];
            long p = e.Pools[feed].Price;
            e.ImportPrice(feed, t % 2 == 0 ? p - (p / 100) : p * 100 / 99);
            sw.Restart();
            IReadOnlyList<int> set = index.Tick();
            ticks.Add(sw.Elapsed.TotalMicroseconds);
            evaluated += index.LastEvaluated;
            if (t == 0 && set.Count < 0)
            {
                throw new InvalidOperationException("unreachable");
            }
        }

        progress("apply throughput");
        (double applyPerSec, Dictionary<string, double> byAction) = MeasureApply(genesisPath);
        double scan = Median(parallel);
        double tickP50 = Percentile(ticks, 0.50);
        return new BenchResult(
            accounts,
            Math.Round(build, 2),
            Math.Round(scan, 2),
            Math.Round(Median(single), 2),
            Math.Round(indexBuild, 1),
            Math.Round(tickP50, 1),
            Math.Round(Percentile(ticks, 0.99), 1),
            Math.Round(scan * 1000 / Math.Max(tickP50, 0.001), 1),
            Math.Round(evaluated / (double)ticks.Count, 1),
            Math.Round(applyPerSec),
            Math.Round(bytesPerAccount),
            liquidatable,
            fallbacks,
            byAction,
            Environment.ProcessorCount);
    }

    /// <summary>The same exact scan split across cores; ids are merged in order, so the result does not depend on scheduling.</summary>
    public static List<int> ParallelScan(Engine e)
    {
        int n = e.Accounts.Count;
        int parts = Environment.ProcessorCount * 4;
        var scan = new FastScan(e);
        var lists = new List<int>[parts];
        Parallel.For(0, parts, part =>
        {
            var local = new List<int>();
            int from = (int)((long)n * part / parts), to = (int)((long)n * (part + 1) / parts);
            for (int id = from; id < to; id++)
            {
                if (!e.IsProtocolAccount(id) && scan.IsLiquidatable(id))
                {
                    local.Add(id);
                }
            }

            lists[part] = local;
        });
        var all = new List<int>();
        foreach (List<int> l in lists)
        {
            all.AddRange(l);
        }

        return all;
    }

    /// <summary>Apply throughput, single thread, on a mixed stream: deposit, transfer, borrow, repay, vAMM trade.</summary>
    private static (double PerSec, Dictionary<string, double> NsByAction) MeasureApply(string genesisPath)
    {
        var e = new Engine(SyntheticBook.Genesis(genesisPath));
        const int Users = 10_000;
        var lender = new AccountKey(SyntheticBook.User(-1), 0);
        e.Apply(new Deposit(lender.Owner, lender, 0, 1_000_000_000_000_000));
        var actions = new List<EngineAction>();
        for (int i = 0; i < Users; i++)
        {
            Address u = SyntheticBook.User(i);
            var a = new AccountKey(u, 0);
            var b = new AccountKey(u, 1);
            // ETH collateral only, so the USDC borrow is real debt and the transfer moves collateral.
            e.Apply(new Deposit(u, a, 2, SyntheticBook.Worth(e, 2, 100_000)));
            actions.Add(new Deposit(u, a, 2, 1_000));
            actions.Add(new Transfer(u, a, b, 2, 1_000));
            actions.Add(new Borrow(u, a, 0, 2_000_000_000));
            actions.Add(new Repay(u, a, 0, 1_999_000_000));
            actions.Add(new PlaceOrder(u, a, 0, 10_000_000, 0, false));
            actions.Add(new PlaceOrder(u, a, 0, -10_000_000, 0, false));
        }

        // One pass opens the borrows, then a day of interest, so indexes are not the trivial 1.0;
        // then timed whole passes. Only accepted actions count (the stream is built to stay valid).
        foreach (EngineAction x in actions)
        {
            e.Apply(x);
        }

        e.AdvanceTo(e.Time + 86_400);
        var sw = Stopwatch.StartNew();
        long count = 0;
        while (sw.Elapsed.TotalSeconds < 2)
        {
            foreach (EngineAction x in actions)
            {
                if (e.Apply(x).Ok)
                {
                    count++;
                }
            }
        }

        double perSec = count / sw.Elapsed.TotalSeconds;

        // The same stream split by action kind, to show where the time goes.
        var byAction = new Dictionary<string, double>();
        foreach (IGrouping<string, EngineAction> kind in actions.GroupBy(a => a.GetType().Name))
        {
            EngineAction[] xs = [.. kind];
            sw.Restart();
            long ok = 0;
            for (int rep = 0; rep < 5; rep++)
            {
                foreach (EngineAction x in xs)
                {
                    ok += e.Apply(x).Ok ? 1 : 0;
                }
            }

            byAction[kind.Key] = Math.Round(sw.Elapsed.TotalNanoseconds / Math.Max(1, ok));
        }

        return (perSec, byAction);
    }

    private static double Median(List<double> v) => Percentile(v, 0.5);

    private static double Percentile(List<double> v, double q)
    {
        var s = v.OrderBy(x => x).ToList();
        return s[Math.Min(s.Count - 1, (int)Math.Ceiling(q * s.Count) - 1)];
    }
}
