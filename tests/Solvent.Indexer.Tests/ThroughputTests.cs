using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace Solvent.Indexer.Tests;

/// <summary>
/// Indexing throughput and history-query latency on a recorded chain. Small by default; docs/benchmarks.md
/// runs it with SOLVENT_INDEXER_BENCH_ROUNDS set for a chain of a few thousand blocks.
/// </summary>
public class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void Throughput_on_a_recorded_chain()
    {
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("SOLVENT_INDEXER_BENCH_ROUNDS"), out int r) ? r : 20;
        int fillers = int.TryParse(Environment.GetEnvironmentVariable("SOLVENT_INDEXER_BENCH_FILLERS"), out int f) ? f : 16;
        ChainRecorder chain = ChainRecorder.Record(rounds, fillers);
        using var db = new PgDatabase();
        try
        {
            IndexSummary s = ChainIndexer.IndexDirectory(chain.Dir, db.ConnectionString, batchBlocks: 256);
            Assert.Equal(chain.Actions, s.ActionsWritten);
            Assert.Equal(chain.Actions, db.Scalar<long>("SELECT count(*) FROM actions"));

            using NpgsqlConnection c = db.Open();
            using (var an = new NpgsqlCommand("ANALYZE", c))
            {
                an.ExecuteNonQuery();
            }

            var owners = new List<byte[]>();
            using (var q = new NpgsqlCommand("SELECT DISTINCT owner FROM account_events", c))
            using (NpgsqlDataReader rd = q.ExecuteReader())
            {
                while (rd.Read())
                {
                    owners.Add((byte[])rd[0]);
                }
            }

            var lat = new List<double>();
            for (int i = 0; i < 500; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                using var h = new NpgsqlCommand("SELECT height, idx, ev, role, kind, asset, amount FROM account_events WHERE owner = $1 ORDER BY height DESC, idx DESC, ev DESC, role DESC LIMIT 100", c);
                h.Parameters.AddWithValue(owners[i % owners.Count]);
                using NpgsqlDataReader rd = h.ExecuteReader();
                while (rd.Read())
                {
                }

                lat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }

            lat.Sort();
            long events = db.Scalar<long>("SELECT count(*) FROM account_events");
            double secs = s.Elapsed.TotalSeconds;
            output.WriteLine($"[table] indexer blocks={s.BlocksWritten} actions={s.ActionsWritten} rows: account_events={events} " +
                $"elapsed={s.Elapsed.TotalMilliseconds:F0}ms replay={s.ReplayTime.TotalMilliseconds:F0}ms (signatures={s.VerifyTime.TotalMilliseconds:F0}ms) postgres={s.WriteTime.TotalMilliseconds:F0}ms " +
                $"actions/s={s.ActionsWritten / secs:F0} history-p50={lat[lat.Count / 2]:F2}ms history-p99={lat[(int)(lat.Count * 0.99)]:F2}ms");
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }
}
