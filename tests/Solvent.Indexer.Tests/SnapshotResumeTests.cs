using Solvent.Storage;

namespace Solvent.Indexer.Tests;

/// <summary>
/// The indexer's stored engine snapshot: a restart restores it and re-executes only the blocks after it,
/// writing exactly what one run over the whole chain writes; a snapshot that does not restore is ignored.
/// </summary>
public class SnapshotResumeTests
{
    private static List<StoredBlock> Blocks(ChainRecorder chain)
    {
        using BlockLog log = BlockLog.Open(chain.Dir, readOnly: true);
        return [.. log.ReadAll()];
    }

    private static long SnapshotHeight(PgDatabase db) => db.Scalar<long>("SELECT COALESCE((SELECT height FROM indexer_snapshot), 0)");

    private static (ChainRecorder Chain, List<StoredBlock> Blocks, string Genesis, PgDatabase Reference) Chain()
    {
        ChainRecorder chain = ChainRecorder.Record(rounds: 6, fillers: 3, checkHeight: 14);
        var reference = new PgDatabase();
        ChainIndexer.IndexDirectory(chain.Dir, reference.ConnectionString, batchBlocks: 7, snapshotEvery: 0);
        return (chain, Blocks(chain), File.ReadAllText(Path.Combine(chain.Dir, "genesis.json")), reference);
    }

    [Fact]
    public void A_restart_re_executes_only_the_blocks_after_the_stored_snapshot_and_writes_what_one_run_writes()
    {
        (ChainRecorder chain, List<StoredBlock> blocks, string genesis, PgDatabase reference) = Chain();
        using PgDatabase r = reference;
        using var db = new PgDatabase();
        try
        {
            int half = blocks.Count / 2;
            IndexSummary first = new ChainIndexer(genesis, db.ConnectionString) { BatchBlocks = 3, SnapshotEvery = 4 }.Index(blocks.Take(half));
            Assert.Equal(0, first.RestoredFrom);
            long snap = SnapshotHeight(db);
            Assert.True(snap >= 4 && snap <= half, $"snapshot at {snap}, first run to {half}");

            var logged = new List<string>();
            IndexSummary second = new ChainIndexer(genesis, db.ConnectionString) { BatchBlocks = 3, SnapshotEvery = 4 }.Index(blocks, logged.Add);
            Assert.Equal(snap, second.RestoredFrom);
            Assert.Equal(blocks.Count - snap, second.ReplayedBlocks);
            Assert.Equal(blocks.Count, second.Height);
            Assert.Equal(blocks.Count - half, second.BlocksWritten);
            Assert.Contains(logged, l => l.Contains($"restored the indexer's engine at block {snap}", StringComparison.Ordinal));
            Assert.True(SnapshotHeight(db) > snap, "the second run stored a newer snapshot");
            Assert.Equal(r.Digest(), db.Digest());

            // Once more at the end: nothing to write, almost nothing to re-execute, nothing changed.
            IndexSummary third = new ChainIndexer(genesis, db.ConnectionString) { BatchBlocks = 3, SnapshotEvery = 4 }.Index(blocks);
            Assert.Equal(0, third.BlocksWritten);
            Assert.True(third.ReplayedBlocks < 4 + 3, $"{third.ReplayedBlocks} blocks re-executed at the end of the chain");
            Assert.Equal(r.Digest(), db.Digest());
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }

    [Theory]
    [InlineData("UPDATE indexer_snapshot SET image = set_byte(image, length(image) / 2, get_byte(image, length(image) / 2) # 1)")]
    [InlineData("UPDATE indexer_snapshot SET state_root = set_byte(state_root, 0, get_byte(state_root, 0) # 1)")]
    [InlineData("UPDATE indexer_snapshot SET image = substring(image from 1 for 10)")]
    public void A_snapshot_that_does_not_restore_is_ignored_and_the_chain_re_executed_from_genesis(string damage)
    {
        (ChainRecorder chain, List<StoredBlock> blocks, string genesis, PgDatabase reference) = Chain();
        using PgDatabase r = reference;
        using var db = new PgDatabase();
        try
        {
            new ChainIndexer(genesis, db.ConnectionString) { BatchBlocks = 3, SnapshotEvery = 4 }.Index(blocks.Take(blocks.Count / 2));
            Assert.True(SnapshotHeight(db) > 0);
            using (Npgsql.NpgsqlConnection c = db.Open())
            using (var cmd = new Npgsql.NpgsqlCommand(damage, c))
            {
                Assert.Equal(1, cmd.ExecuteNonQuery());
            }

            var logged = new List<string>();
            IndexSummary s = new ChainIndexer(genesis, db.ConnectionString) { BatchBlocks = 3, SnapshotEvery = 4 }.Index(blocks, logged.Add);
            Assert.Equal(0, s.RestoredFrom);
            Assert.Equal(blocks.Count, s.ReplayedBlocks);
            Assert.Contains(logged, l => l.Contains("does not restore", StringComparison.Ordinal));
            Assert.Equal(r.Digest(), db.Digest());
        }
        finally
        {
            Directory.Delete(chain.Dir, true);
        }
    }
}
