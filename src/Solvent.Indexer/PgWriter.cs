using System.Numerics;
using Npgsql;
using NpgsqlTypes;

namespace Solvent.Indexer;

/// <summary>
/// Writes batches of blocks in one transaction each: binary COPY into every table, candles merged, and
/// <c>indexer_state</c> moved to the batch's last height in the same transaction, so a crash leaves
/// either the whole batch or none of it. Blocks at or below the stored height are skipped, which makes
/// writing a block twice a no-op.
/// </summary>
public sealed class PgWriter(NpgsqlConnection conn, byte[] genesisHash)
{
    /// <summary>Reads the state row, or null on an empty database.</summary>
    public static IndexerState? ReadState(NpgsqlConnection conn, NpgsqlTransaction? tx = null, bool forUpdate = false)
    {
        using var cmd = new NpgsqlCommand("SELECT genesis_hash, last_height, last_root FROM indexer_state WHERE id = 1" + (forUpdate ? " FOR UPDATE" : ""), conn, tx);
        using NpgsqlDataReader r = cmd.ExecuteReader();
        return r.Read() ? new IndexerState((byte[])r[0], r.GetInt64(1), (byte[])r[2]) : null;
    }

    /// <summary>Reads the stored engine snapshot, or null when none was written.</summary>
    public static IndexerSnapshot? ReadSnapshot(NpgsqlConnection conn)
    {
        using var cmd = new NpgsqlCommand("SELECT height, state_root, image FROM indexer_snapshot WHERE id = 1", conn);
        using NpgsqlDataReader r = cmd.ExecuteReader();
        return r.Read() ? new IndexerSnapshot(r.GetInt64(0), (byte[])r[1], (byte[])r[2]) : null;
    }

    /// <summary>Writes <paramref name="batch"/> (consecutive heights); returns the number of blocks written (0 when all were already there).</summary>
    public int Write(RowBatch batch)
    {
        if (batch.Blocks.Count == 0)
        {
            return 0;
        }

        using NpgsqlTransaction tx = conn.BeginTransaction();
        using (var init = new NpgsqlCommand("INSERT INTO indexer_state (id, genesis_hash, last_height, last_root) VALUES (1, $1, 0, $2) ON CONFLICT (id) DO NOTHING", conn, tx))
        {
            init.Parameters.AddWithValue(genesisHash);
            init.Parameters.AddWithValue(new byte[32]);
            init.ExecuteNonQuery();
        }

        IndexerState state = ReadState(conn, tx, forUpdate: true)!;
        if (!state.GenesisHash.AsSpan().SequenceEqual(genesisHash))
        {
            throw new IndexerException($"the database indexes the chain with genesis {Convert.ToHexStringLower(state.GenesisHash)}, not {Convert.ToHexStringLower(genesisHash)}; refusing to mix chains (use another database)");
        }

        int skip = batch.Blocks.FindIndex(b => b.Height > state.LastHeight);
        if (skip < 0)
        {
            tx.Rollback();
            return 0;
        }

        BlockMark first = batch.Blocks[skip];
        if (first.Height != state.LastHeight + 1)
        {
            throw new IndexerException($"height gap: the database ends at block {state.LastHeight} but the next block given is {first.Height}; refusing to skip blocks");
        }

        foreach (Table t in Table.All)
        {
            Copy(batch.Of(t), first.RowStarts[t.Ordinal]);
        }

        MergeCandles(tx, batch, first.TradeStart);
        BlockMark last = batch.Blocks[^1];
        using (var up = new NpgsqlCommand("UPDATE indexer_state SET last_height = $1, last_root = $2 WHERE id = 1", conn, tx))
        {
            up.Parameters.AddWithValue(last.Height);
            up.Parameters.AddWithValue(last.StateRoot);
            up.ExecuteNonQuery();
        }

        if (batch.Snapshot is { } snap && snap.Height == last.Height)
        {
            using var put = new NpgsqlCommand(
                "INSERT INTO indexer_snapshot (id, height, state_root, image) VALUES (1, $1, $2, $3) " +
                "ON CONFLICT (id) DO UPDATE SET height = EXCLUDED.height, state_root = EXCLUDED.state_root, image = EXCLUDED.image",
                conn,
                tx);
            put.Parameters.AddWithValue(snap.Height);
            put.Parameters.AddWithValue(snap.StateRoot);
            put.Parameters.AddWithValue(snap.Image);
            put.ExecuteNonQuery();
        }

        tx.Commit();
        return batch.Blocks.Count - skip;
    }

    private void Copy(RowBuffer rows, int fromRow)
    {
        if (rows.Rows <= fromRow)
        {
            return;
        }

        Table t = rows.Table;
        int width = t.Columns.Count;
        using NpgsqlBinaryImporter w = conn.BeginBinaryImport(t.CopyCommand);
        for (int r = fromRow, end = rows.Rows; r < end; r++)
        {
            w.StartRow();
            for (int c = 0, i = r * width; c < width; c++, i++)
            {
                if (rows.IsNull(i))
                {
                    w.WriteNull();
                    continue;
                }

                NpgsqlDbType type = t.Columns[c].Type;
                switch (type)
                {
                    case NpgsqlDbType.Bigint: w.Write(rows.LongAt(i), type); break;
                    case NpgsqlDbType.Integer: w.Write((int)rows.LongAt(i), type); break;
                    case NpgsqlDbType.Smallint: w.Write((short)rows.LongAt(i), type); break;
                    case NpgsqlDbType.Boolean: w.Write(rows.LongAt(i) != 0, type); break;
                    case NpgsqlDbType.Bytea: w.Write((byte[])rows.RefAt(i)!, type); break;
                    case NpgsqlDbType.Text: w.Write((string)rows.RefAt(i)!, type); break;
                    case NpgsqlDbType.Numeric: w.Write(Numeric(rows.RefAt(i)!), type); break;
                    default: throw new InvalidOperationException($"column {t.Name}.{t.Columns[c].Name} has no writer for {type}");
                }
            }
        }

        w.Complete();
    }

    // Engine indexes are UInt128 / Int128; stored boxed as BigInteger, which Npgsql writes as numeric.
    private static BigInteger Numeric(object v) => v switch
    {
        BigInteger b => b,
        UInt128 u => u,
        Int128 i => i,
        _ => throw new InvalidOperationException($"not a numeric value: {v.GetType().Name}"),
    };

    private void MergeCandles(NpgsqlTransaction tx, RowBatch rows, int fromTrade)
    {
        // Fold the batch per (market, minute) first: one upsert per candle, not per trade.
        var candles = new SortedDictionary<(int Market, long Minute), (long Open, long High, long Low, long Close, long Base, long Quote, int Trades)>();
        for (int i = fromTrade; i < rows.Trades.Count; i++)
        {
            (long time, int m, long price, long size, long quote) = rows.Trades[i];
            long minute = time / 60 * 60;
            candles[(m, minute)] = candles.TryGetValue((m, minute), out var c)
                ? (c.Open, Math.Max(c.High, price), Math.Min(c.Low, price), price, checked(c.Base + size), checked(c.Quote + quote), c.Trades + 1)
                : (price, price, price, price, size, quote, 1);
        }

        if (candles.Count == 0)
        {
            return;
        }

        using var batch = new NpgsqlBatch(conn, tx);
        foreach (((int m, long minute), var c) in candles)
        {
            var cmd = new NpgsqlBatchCommand(
                "INSERT INTO candles (market, minute, open, high, low, close, volume_base, volume_quote, trades) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) " +
                "ON CONFLICT (market, minute) DO UPDATE SET high = GREATEST(candles.high, EXCLUDED.high), low = LEAST(candles.low, EXCLUDED.low), close = EXCLUDED.close, " +
                "volume_base = candles.volume_base + EXCLUDED.volume_base, volume_quote = candles.volume_quote + EXCLUDED.volume_quote, trades = candles.trades + EXCLUDED.trades");
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = m });
            foreach (long v in new[] { minute, c.Open, c.High, c.Low, c.Close, c.Base, c.Quote })
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = v });
            }

            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = c.Trades });
            batch.BatchCommands.Add(cmd);
        }

        batch.ExecuteNonQuery();
    }
}
