using Npgsql;

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

    /// <summary>Writes <paramref name="batch"/> (consecutive heights); returns the number of blocks written (0 when all were already there).</summary>
    public int Write(IReadOnlyList<BlockRows> batch)
    {
        if (batch.Count == 0)
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

        var fresh = batch.Where(b => b.Height > state.LastHeight).ToList();
        if (fresh.Count == 0)
        {
            tx.Rollback();
            return 0;
        }

        if (fresh[0].Height != state.LastHeight + 1)
        {
            throw new IndexerException($"height gap: the database ends at block {state.LastHeight} but the next block given is {fresh[0].Height}; refusing to skip blocks");
        }

        foreach (Table t in Table.All)
        {
            Copy(t, fresh);
        }

        MergeCandles(tx, fresh);
        BlockRows last = fresh[^1];
        using (var up = new NpgsqlCommand("UPDATE indexer_state SET last_height = $1, last_root = $2 WHERE id = 1", conn, tx))
        {
            up.Parameters.AddWithValue(last.Height);
            up.Parameters.AddWithValue(last.StateRoot);
            up.ExecuteNonQuery();
        }

        tx.Commit();
        return fresh.Count;
    }

    private void Copy(Table t, List<BlockRows> blocks)
    {
        if (!blocks.Any(b => b.Of(t).Count > 0))
        {
            return;
        }

        string cols = string.Join(", ", t.Columns.Select(c => c.Name));
        using NpgsqlBinaryImporter w = conn.BeginBinaryImport($"COPY {t.Name} ({cols}) FROM STDIN (FORMAT BINARY)");
        foreach (BlockRows b in blocks)
        {
            foreach (object?[] row in b.Of(t))
            {
                w.StartRow();
                for (int c = 0; c < row.Length; c++)
                {
                    if (row[c] is null)
                    {
                        w.WriteNull();
                    }
                    else
                    {
                        w.Write(row[c], t.Columns[c].Type);
                    }
                }
            }
        }

        w.Complete();
    }

    private void MergeCandles(NpgsqlTransaction tx, List<BlockRows> blocks)
    {
        // Fold the batch per (market, minute) first: one upsert per candle, not per trade.
        var candles = new SortedDictionary<(int Market, long Minute), (long Open, long High, long Low, long Close, long Base, long Quote, int Trades)>();
        foreach (BlockRows b in blocks)
        {
            long minute = b.Time / 60 * 60;
            foreach ((int m, long price, long size, long quote) in b.Trades)
            {
                candles[(m, minute)] = candles.TryGetValue((m, minute), out var c)
                    ? (c.Open, Math.Max(c.High, price), Math.Min(c.Low, price), price, checked(c.Base + size), checked(c.Quote + quote), c.Trades + 1)
                    : (price, price, price, price, size, quote, 1);
            }
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
            foreach (object v in new object[] { m, minute, c.Open, c.High, c.Low, c.Close, c.Base, c.Quote, c.Trades })
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = v });
            }

            batch.BatchCommands.Add(cmd);
        }

        batch.ExecuteNonQuery();
    }
}
