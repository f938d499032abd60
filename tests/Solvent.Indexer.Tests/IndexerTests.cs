using Npgsql;
using Solvent.Core.State;
using Solvent.Storage;

namespace Solvent.Indexer.Tests;

public class IndexerTests
{
    private static long Sum(PgDatabase db, string sql) => db.Scalar<long>($"SELECT COALESCE(({sql}), 0)::bigint");

    [Fact]
    public void Indexed_tables_match_the_figures_of_the_execution()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 6, fillers: 3, checkHeight: 14);
        using var db = new PgDatabase();
        try
        {
            IndexSummary s = ChainIndexer.IndexDirectory(chain.Dir, db.ConnectionString, batchBlocks: 7);
            Assert.Equal(chain.Engine.Height, s.Height);
            Assert.Equal(chain.Engine.Height, s.BlocksWritten);
            Assert.Equal(chain.Actions, s.ActionsWritten);

            // The scenario must exercise what is checked.
            Assert.True(chain.LendingLiquidations >= 6, $"{chain.LendingLiquidations} lending liquidations");
            Assert.True(chain.PerpLiquidations >= 6, $"{chain.PerpLiquidations} perp liquidations");

            Assert.Equal(chain.Engine.Height, db.Scalar<long>("SELECT count(*) FROM blocks"));
            Assert.Equal(chain.Actions, db.Scalar<long>("SELECT count(*) FROM actions"));
            Assert.Equal(chain.LendingLiquidations, db.Scalar<long>("SELECT count(*) FROM liquidations WHERE kind = 'lending'"));
            Assert.Equal(chain.PerpLiquidations, db.Scalar<long>("SELECT count(*) FROM liquidations WHERE kind = 'perp'"));
            Assert.Equal(chain.Seized, Sum(db, "SELECT SUM(value) FROM liquidations WHERE kind = 'lending'"));
            Assert.Equal(chain.Fills, db.Scalar<long>("SELECT count(*) FROM fills"));

            // Funding: the rows must add up to the market's own running total of settled funding.
            for (int m = 0; m < chain.Engine.Markets.Length; m++)
            {
                Assert.Equal(chain.Engine.Markets[m].FundingSettled, Sum(db, $"SELECT SUM(amount) FROM funding_payments WHERE market = {m}"));
            }

            Assert.NotEqual(0, chain.Engine.Markets[ChainRecorder.EthPerp].FundingSettled);

            // Insurance funds and interest indexes: the last row equals the final state.
            for (int a = 0; a < chain.Engine.Pools.Length; a++)
            {
                AssetPool p = chain.Engine.Pools[a];
                Assert.Equal(p.Insurance, Sum(db, $"SELECT balance FROM insurance WHERE kind = 'asset' AND id = {a} ORDER BY height DESC LIMIT 1"));
                string? idx = db.Scalar<string?>($"SELECT supply_index::text FROM interest_indexes WHERE asset = {a} ORDER BY height DESC LIMIT 1");
                if (idx is not null)
                {
                    Assert.Equal(p.SupplyIndex.ToString(), idx);
                }
            }

            Assert.Equal(chain.Engine.Pools[ChainRecorder.Usdc].BorrowIndex.ToString(), db.Scalar<string>($"SELECT borrow_index::text FROM interest_indexes WHERE asset = {ChainRecorder.Usdc} ORDER BY height DESC LIMIT 1"));

            // Balances at a height: the latest row at or below it, for every account that existed then.
            Assert.NotEmpty(chain.ScaledAt);
            using NpgsqlConnection c = db.Open();
            foreach (((AccountKey k, int asset), long scaled) in chain.ScaledAt)
            {
                using var cmd = new NpgsqlCommand("SELECT scaled FROM balances WHERE owner = $1 AND number = $2 AND asset = $3 AND height <= $4 ORDER BY height DESC LIMIT 1", c);
                cmd.Parameters.AddWithValue(Projector.AddressBytes(k.Owner));
                cmd.Parameters.AddWithValue((long)k.Number);
                cmd.Parameters.AddWithValue(asset);
                cmd.Parameters.AddWithValue(chain.CheckHeight);
                long got = cmd.ExecuteScalar() is long v ? v : 0;
                Assert.True(scaled == got, $"{k} asset {asset} at height {chain.CheckHeight}: engine {scaled}, index {got}");
            }

            // Candles hold every fill of non-zero size once.
            Assert.Equal(db.Scalar<long>("SELECT count(*) FROM fills WHERE size <> 0"), Sum(db, "SELECT SUM(trades) FROM candles"));
            Assert.Equal(Sum(db, "SELECT SUM(abs(size)) FROM fills"), Sum(db, "SELECT SUM(volume_base) FROM candles"));
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Fact]
    public void Indexing_the_same_blocks_twice_changes_nothing()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 3, fillers: 2);
        using var db = new PgDatabase();
        try
        {
            ChainIndexer.IndexDirectory(chain.Dir, db.ConnectionString, batchBlocks: 4);
            Dictionary<string, string> first = db.Digest();
            IndexSummary again = ChainIndexer.IndexDirectory(chain.Dir, db.ConnectionString, batchBlocks: 3, rewrite: true);
            Assert.Equal(0, again.BlocksWritten);
            Assert.Equal(first, db.Digest());
            Assert.Equal(chain.Engine.Height, db.Scalar<long>("SELECT last_height FROM indexer_state"));
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Fact]
    public void A_chain_with_another_genesis_is_refused()
    {
        ChainRecorder a = ChainRecorder.Record(rounds: 1), b = ChainRecorder.Record(rounds: 1, name: "Other");
        using var db = new PgDatabase();
        try
        {
            ChainIndexer.IndexDirectory(a.Dir, db.ConnectionString);
            Dictionary<string, string> before = db.Digest();
            IndexerException e = Assert.Throws<IndexerException>(() => ChainIndexer.IndexDirectory(b.Dir, db.ConnectionString));
            Assert.Contains("genesis", e.Message);
            Assert.Equal(before, db.Digest());
        }
        finally
        {
            Directory.Delete(a.Dir, true);
            Directory.Delete(b.Dir, true);
        }
    }

    [Fact]
    public void Blocks_of_another_chain_with_the_same_genesis_are_refused()
    {
        ChainRecorder a = ChainRecorder.Record(rounds: 2), b = ChainRecorder.Record(rounds: 3, fillers: 2);
        using var db = new PgDatabase();
        try
        {
            ChainIndexer.IndexDirectory(a.Dir, db.ConnectionString);
            Dictionary<string, string> before = db.Digest();
            IndexerException e = Assert.Throws<IndexerException>(() => ChainIndexer.IndexDirectory(b.Dir, db.ConnectionString));
            Assert.Contains("another chain", e.Message);
            Assert.Equal(before, db.Digest());
        }
        finally
        {
            Directory.Delete(a.Dir, true);
            Directory.Delete(b.Dir, true);
        }
    }

    [Fact]
    public void A_gap_in_heights_stops_the_indexer_after_the_last_contiguous_block()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 1);
        using var db = new PgDatabase();
        try
        {
            List<StoredBlock> blocks;
            using (BlockLog log = BlockLog.Open(chain.Dir, readOnly: true))
            {
                blocks = [.. log.ReadAll()];
            }

            var indexer = new ChainIndexer(File.ReadAllText(Path.Combine(chain.Dir, "genesis.json")), db.ConnectionString) { BatchBlocks = 1 };
            IndexerException e = Assert.Throws<IndexerException>(() => indexer.Index(blocks.Where(b => b.Height != 3)));
            Assert.Contains("height gap", e.Message);
            Assert.Contains("block 4", e.Message);
            Assert.Equal(2, db.Scalar<long>("SELECT last_height FROM indexer_state"));
            Assert.Equal(2, db.Scalar<long>("SELECT max(height) FROM blocks"));
            Assert.Equal(0, db.Scalar<long>("SELECT count(*) FROM actions WHERE height > 2"));
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }
}
