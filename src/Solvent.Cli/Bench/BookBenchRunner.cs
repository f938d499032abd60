using System.Diagnostics;

namespace Solvent.Cli.Bench;

/// <summary>Figures of one <c>solvent bench book</c> run.</summary>
internal sealed record BookBenchResult(
    int RestingOrdersStart,
    int RestingOrdersEnd,
    int Accounts,
    long Ops,
    double OpsPerSec,
    double MatchP50Us,
    double MatchP99Us,
    double MatchMaxUs,
    double AllocatedBytesPerOp,
    long Fills,
    double CancelHitRate,
    double EngineOpsPerSec,
    double EngineAllocatedBytesPerOp,
    double EngineTakeP99Us);

/// <summary>Runs <see cref="BookWorkload"/>: a warm-up, a throughput pass and a timed-match pass.</summary>
internal static class BookBenchRunner
{
    public static BookBenchResult Run(string genesisPath, int orders, int accounts, int cycles, Action<string> progress)
    {
        progress($"building a book of {orders:N0} orders over {accounts:N0} accounts");
        var w = new BookWorkload(orders, accounts);
        int start = w.Book.Count;
        progress("warming up");
        w.Run(System.Math.Min(cycles, 200_000), null);

        progress($"throughput: {cycles:N0} cycles of place + cancel + (place or cancel) + match");
        long hitsBefore = w.CancelHits, cancelsBefore = w.Cancels, fillsBefore = w.Fills;
        long bytes0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        w.Run(cycles, null);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
        long ops = 5L * cycles;
        long hits = w.CancelHits - hitsBefore, cancels = w.Cancels - cancelsBefore, fills = w.Fills - fillsBefore;

        progress("match latency");
        var ticks = new long[cycles];
        w.Run(cycles, ticks);
        Array.Sort(ticks);
        double us = 1e6 / Stopwatch.Frequency;

        progress("the same book through Engine.Apply (exact margin of both sides, fees, band, commits)");
        var ew = new EngineBookWorkload(genesisPath, orders, accounts);
        ew.Measure(System.Math.Min(cycles / 20, 20_000));
        (double eOps, double eBytes, double eP99) = ew.Measure(System.Math.Max(1_000, cycles / 20));
        return new BookBenchResult(
            start, w.Book.Count, accounts, ops, System.Math.Round(ops / seconds), System.Math.Round(ticks[cycles / 2] * us, 3),
            System.Math.Round(ticks[(int)(cycles * 0.99)] * us, 3), System.Math.Round(ticks[^1] * us, 1), System.Math.Round((double)bytes / ops, 4), fills, System.Math.Round((double)hits / System.Math.Max(1, cancels), 4),
            System.Math.Round(eOps), System.Math.Round(eBytes, 1), System.Math.Round(eP99, 3));
    }
}
