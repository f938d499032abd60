using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Solvent.Indexer.Api;

/// <summary>Latency of the account-history query on a synthetic table, split by first and deep pages.</summary>
/// <param name="Rows">Rows in <c>account_events</c>.</param>
/// <param name="Owners">Distinct owners.</param>
/// <param name="FillTime">Time to COPY the rows, build the indexes and ANALYZE.</param>
/// <param name="FirstPage">Latencies (ms, sorted) of first pages.</param>
/// <param name="DeepPage">Latencies (ms, sorted) of pages from a cursor deep in an owner's history.</param>
/// <param name="UsesIndex">Whether the query's plans are index scans with no sort and no sequential scan, a tail owner's on the owner index, none scanning the table.</param>
public sealed record HistoryBenchResult(long Rows, int Owners, TimeSpan FillTime, double[] FirstPage, double[] DeepPage, bool UsesIndex)
{
    /// <summary>All latencies, sorted.</summary>
    public double[] All => [.. FirstPage.Concat(DeepPage).Order()];

    /// <summary>The <paramref name="q"/> quantile (nearest rank) of sorted <paramref name="sorted"/>.</summary>
    public static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

/// <summary>
/// Fills <c>account_events</c> of an empty indexer database with synthetic rows over a skewed owner
/// population (a few very active addresses, a long tail), then times random history pages through
/// <see cref="HistoryQuery"/> exactly as the API runs it. Refuses a database that holds an index.
/// </summary>
public static class HistoryBench
{
    private static readonly string[] Kinds = ["deposit", "withdraw", "trade", "funding", "transfer_in", "transfer_out", "liquidated"];

    /// <summary>Runs the benchmark: <paramref name="rows"/> rows, <paramref name="queries"/> queries (half first pages, half deep), pages of <paramref name="limit"/>.</summary>
    public static HistoryBenchResult Run(string connectionString, long rows, int queries = 1000, int limit = 100, int seed = 1, Action<string>? log = null)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        Migrator.Migrate(conn);
        using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM indexer_state) OR EXISTS (SELECT 1 FROM account_events)", conn))
        {
            if ((bool)any.ExecuteScalar()!)
            {
                throw new IndexerException("the database already holds indexed rows; the history benchmark fills a database of its own (create an empty one)");
            }
        }

        int ownerCount = (int)Math.Clamp(rows / 50, 1, 1_000_000);
        var owners = new byte[ownerCount][];
        var rng = new Random(seed);
        for (int i = 0; i < ownerCount; i++)
        {
            owners[i] = new byte[20];
            rng.NextBytes(owners[i]);
        }

        // Cubing a uniform draw skews activity to the first owners: the busiest hold ~1% of all rows.
        int Draw() => (int)(ownerCount * Math.Pow(rng.NextDouble(), 3));

        var fill = Stopwatch.StartNew();
        Exec(conn, "ALTER TABLE account_events DROP CONSTRAINT account_events_pkey; DROP INDEX account_events_account; DROP INDEX account_events_owner");
        using (NpgsqlBinaryImporter w = conn.BeginBinaryImport(Table.AccountEvents.CopyCommand))
        {
            const int PerBlock = 20;
            for (long i = 0; i < rows; i++)
            {
                long height = (i / PerBlock) + 1;
                w.StartRow();
                w.Write(height, NpgsqlDbType.Bigint);
                w.Write((int)(i % PerBlock), NpgsqlDbType.Integer);
                w.Write(0, NpgsqlDbType.Integer);
                w.Write((short)0, NpgsqlDbType.Smallint);
                w.Write(1_735_689_600 + (height * 2), NpgsqlDbType.Bigint);
                w.Write(owners[Draw()], NpgsqlDbType.Bytea);
                w.Write((long)rng.Next(0, 2), NpgsqlDbType.Bigint);
                w.Write(Kinds[rng.Next(Kinds.Length)], NpgsqlDbType.Text);
                w.Write(rng.Next(0, 4), NpgsqlDbType.Integer);
                w.Write(rng.NextInt64(1, 1_000_000_000), NpgsqlDbType.Bigint);
                if (i % 1_000_000 == 999_999)
                {
                    log?.Invoke($"copied {i + 1} rows");
                }
            }

            w.Complete();
        }

        // The definitions of 0001_initial.sql, built once after the load (a sort, not 10 million inserts).
        Exec(conn, "ALTER TABLE account_events ADD PRIMARY KEY (height, idx, ev, role)");
        Exec(conn, "CREATE INDEX account_events_account ON account_events (owner, number, height DESC, idx DESC, ev DESC, role DESC)");
        Exec(conn, "CREATE INDEX account_events_owner ON account_events (owner, height DESC, idx DESC, ev DESC, role DESC)");
        Exec(conn, "ANALYZE account_events");
        fill.Stop();
        log?.Invoke($"filled {rows} rows over {ownerCount} owners in {fill.Elapsed.TotalSeconds:F0} s");

        long maxHeight = ((rows - 1) / 20) + 1;
        // The busiest owner holds a few percent of all rows, so walking the primary key backwards and filtering
        // is as cheap as the owner index; a tail owner's few rows come from the owner index (a bitmap scan may
        // then sort those few). Either way no plan may scan the table.
        bool usesIndex = true;
        foreach ((byte[] who, bool tail) in new[] { (owners[0], false), (owners[ownerCount / 2], true) })
        {
            using NpgsqlCommand plan = HistoryQuery.Command(conn, who, -1, (maxHeight / 2, 0, 0, (short)0), limit);
            plan.CommandText = "EXPLAIN " + plan.CommandText;
            string text = string.Join("\n", Lines(plan));
            usesIndex &= text.Contains("Index Scan", StringComparison.Ordinal)
                && (!tail || text.Contains("account_events_owner", StringComparison.Ordinal))
                && !text.Contains("Seq Scan", StringComparison.Ordinal);
            log?.Invoke(text);
        }

        var first = new List<double>();
        var deep = new List<double>();
        for (int q = 0; q < queries; q++)
        {
            byte[] owner = owners[Draw()];
            bool isDeep = q % 2 == 1;
            (long, int, int, short) cursor = isDeep ? (rng.NextInt64(1, maxHeight + 1), rng.Next(0, 20), 0, (short)0) : HistoryQuery.Start;
            long t0 = Stopwatch.GetTimestamp();
            using (NpgsqlCommand cmd = HistoryQuery.Command(conn, owner, -1, cursor, limit))
            using (NpgsqlDataReader r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                }
            }

            (isDeep ? deep : first).Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        return new HistoryBenchResult(rows, ownerCount, fill.Elapsed, [.. first.Order()], [.. deep.Order()], usesIndex);
    }

    private static void Exec(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        cmd.ExecuteNonQuery();
    }

    private static IEnumerable<string> Lines(NpgsqlCommand cmd)
    {
        var lines = new List<string>();
        using NpgsqlDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            lines.Add(r.GetString(0));
        }

        return lines;
    }
}
