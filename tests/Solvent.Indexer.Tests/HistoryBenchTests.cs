using Solvent.Indexer.Api;
using Xunit.Abstractions;

namespace Solvent.Indexer.Tests;

/// <summary>
/// The account-history query on a synthetic table: 200,000 rows by default, 10 million (and the 20 ms p99
/// bound) with SOLVENT_LONG=1, as docs/benchmarks.md records it.
/// </summary>
public class HistoryBenchTests(ITestOutputHelper output)
{
    [Fact]
    public void History_pages_are_index_scans_and_the_bench_refuses_a_database_in_use()
    {
        bool longRun = Environment.GetEnvironmentVariable("SOLVENT_LONG") == "1";
        using var db = new PgDatabase();
        HistoryBenchResult r = HistoryBench.Run(db.ConnectionString, longRun ? 10_000_000 : 200_000, queries: longRun ? 1000 : 200, log: output.WriteLine);
        double p99 = HistoryBenchResult.Quantile(r.All, 0.99);
        output.WriteLine($"rows={r.Rows} owners={r.Owners} fill={r.FillTime.TotalSeconds:F0}s p50={HistoryBenchResult.Quantile(r.All, 0.5):F2}ms p99={p99:F2}ms");
        Assert.True(r.UsesIndex, "the history query must use an index (a tail owner the owner index), never a sequential scan");
        Assert.Equal(r.FirstPage.Length, r.DeepPage.Length);
        Assert.Equal(longRun ? 10_000_000 : 200_000, db.Scalar<long>("SELECT count(*) FROM account_events"));
        if (longRun)
        {
            Assert.True(p99 <= 20, $"p99 {p99:F2} ms over 20 ms");
        }

        IndexerException e = Assert.Throws<IndexerException>(() => HistoryBench.Run(db.ConnectionString, 10));
        Assert.Contains("already holds", e.Message);
    }
}
