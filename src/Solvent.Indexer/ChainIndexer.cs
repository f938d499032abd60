using System.Diagnostics;
using Npgsql;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Crypto;
using Solvent.Node.Ingress;
using Solvent.Node.Recovery;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Indexer;

/// <summary>What one indexing run did.</summary>
/// <param name="Height">Height reached (replayed and, past the stored height, written).</param>
/// <param name="BlocksWritten">Blocks whose rows this run committed.</param>
/// <param name="ActionsWritten">Actions in those blocks.</param>
/// <param name="ResumedFrom">Height the database held when the run started.</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="ReplayTime">Time spent applying blocks and projecting them into rows (the apply stage, one thread).</param>
/// <param name="WriteTime">Time spent writing to PostgreSQL (the writer's thread, overlapping the apply stage).</param>
public sealed record IndexSummary(long Height, long BlocksWritten, long ActionsWritten, long ResumedFrom, TimeSpan Elapsed, TimeSpan ReplayTime, TimeSpan WriteTime)
{
    /// <summary>Time spent decoding actions and recovering signatures, summed over the cores that did it (ahead of the apply stage).</summary>
    public TimeSpan VerifyTime { get; init; }

    /// <summary>Time the apply stage waited for blocks whose signatures were not recovered yet.</summary>
    public TimeSpan DecodeWaitTime { get; init; }

    /// <summary>Time the apply stage waited for PostgreSQL to take the next batch.</summary>
    public TimeSpan WriteWaitTime { get; init; }

    /// <summary>Height of the stored engine snapshot this run started from (0: re-executed from genesis).</summary>
    public long RestoredFrom { get; init; }

    /// <summary>Blocks re-executed this run (written or not).</summary>
    public long ReplayedBlocks { get; init; }
}

/// <summary>
/// Indexes a chain into PostgreSQL: re-executes every block from genesis (signatures, nonces and state roots
/// re-checked, as <c>solvent replay</c> does) to obtain its events and state, and writes the rows of each
/// block past the stored height in batches. A restart replays the blocks already indexed without writing
/// and continues at the next one.
/// </summary>
public sealed class ChainIndexer
{
    private readonly Genesis _genesis;
    private readonly byte[] _genesisHash;
    private readonly string _connectionString;

    /// <summary>An indexer for the chain of <paramref name="genesisJson"/> writing to <paramref name="connectionString"/>.</summary>
    public ChainIndexer(string genesisJson, string connectionString)
    {
        _genesis = GenesisLoader.Parse(genesisJson);
        _genesisHash = HashOf(genesisJson);
        _connectionString = connectionString;
    }

    /// <summary>Blocks per transaction (at most).</summary>
    public int BatchBlocks { get; init; } = 256;

    /// <summary>Rows per transaction, over all tables, past which a batch is written before it reaches <see cref="BatchBlocks"/>.</summary>
    public int BatchRows { get; init; } = 400_000;

    /// <summary>Blocks whose signatures are recovered ahead of the apply stage.</summary>
    public int DecodeDepth { get; init; } = 64;

    /// <summary>
    /// Write the open batch whenever the source has no further block ready: a follower of a live chain then
    /// commits each block as it arrives, while catching up still batches.
    /// </summary>
    public bool FlushWhenIdle { get; init; }

    /// <summary>
    /// Store the engine's state with the batch that reaches this many blocks past the last stored one (0: never),
    /// so a restart re-executes only the blocks after it. Its cost is one engine snapshot per interval.
    /// </summary>
    public int SnapshotEvery { get; init; } = 10_000;

    /// <summary>Project blocks already indexed too and hand them to the writer (which skips them): checks idempotence.</summary>
    public bool Rewrite { get; init; }

    /// <summary>Keccak-256 of a genesis file's bytes: the chain's identity in <c>indexer_state</c>.</summary>
    public static byte[] HashOf(string genesisJson)
    {
        var h = new byte[32];
        Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(genesisJson), h);
        return h;
    }

    /// <summary>Indexes a node's data directory (its genesis.json and blocks.log), read-only.</summary>
    public static IndexSummary IndexDirectory(string dataDir, string connectionString, int batchBlocks = 256, Action<string>? log = null, bool rewrite = false, int snapshotEvery = 10_000)
    {
        string genesisPath = Path.Combine(dataDir, ChainLoader.GenesisFileName);
        if (!File.Exists(genesisPath))
        {
            throw new IndexerException($"{dataDir} holds no {ChainLoader.GenesisFileName}: not a node data directory");
        }

        if (!File.Exists(Path.Combine(dataDir, BlockLog.FileName)))
        {
            throw new IndexerException($"{dataDir} holds no {BlockLog.FileName}: not a node data directory");
        }

        var indexer = new ChainIndexer(File.ReadAllText(genesisPath), connectionString) { BatchBlocks = batchBlocks, Rewrite = rewrite, SnapshotEvery = snapshotEvery };
        using BlockLog blocks = BlockLog.Open(dataDir, log, readOnly: true);
        return indexer.Index(blocks.ReadAll(), log);
    }

    /// <summary>
    /// Indexes <paramref name="blocks"/>, which must start at height 1 and go up by one. When
    /// <paramref name="stopped"/> is cancelled the source may end early (a follower told to stop): what was
    /// read is written and no shorter-chain check applies.
    /// </summary>
    public IndexSummary Index(IEnumerable<StoredBlock> blocks, Action<string>? log = null, CancellationToken stopped = default) =>
        Index(after => After(blocks, after), log, stopped);

    /// <summary>
    /// Indexes the blocks <paramref name="blocksAfter"/> gives after the height it is called with: 0 for the
    /// whole chain, or the height of the stored engine snapshot the indexer restored, so a source that can
    /// seek (a stream) starts there instead of at height 1.
    /// </summary>
    public IndexSummary Index(Func<long, IEnumerable<StoredBlock>> blocksAfter, Action<string>? log = null, CancellationToken stopped = default)
    {
        var total = Stopwatch.StartNew();
        using var conn = new NpgsqlConnection(_connectionString);
        try
        {
            conn.Open();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new IndexerException($"cannot connect to PostgreSQL: {e.Message}");
        }

        Migrator.Migrate(conn);
        IndexerState? state = PgWriter.ReadState(conn);
        if (state is not null && !state.GenesisHash.AsSpan().SequenceEqual(_genesisHash))
        {
            throw new IndexerException($"the database indexes the chain with genesis {Convert.ToHexStringLower(state.GenesisHash)}, not {Convert.ToHexStringLower(_genesisHash)}; refusing to mix chains (use another database)");
        }

        long stored = state?.LastHeight ?? 0;
        var engine = new Engine(_genesis);
        var nonces = new NonceTable();
        long restoredFrom = 0, lastSnapshot = 0;
        if (!Rewrite && state is not null && PgWriter.ReadSnapshot(conn) is { } snap && snap.Height <= stored)
        {
            lastSnapshot = snap.Height;
            if (TryRestore(snap, out Engine? restored, out NonceTable? restoredNonces, out string? why))
            {
                (engine, nonces, restoredFrom) = (restored, restoredNonces, snap.Height);
                log?.Invoke($"restored the indexer's engine at block {snap.Height}; re-executing from block {snap.Height + 1}");
            }
            else
            {
                // A snapshot is a shortcut, never the truth: without it the chain is re-executed from genesis.
                log?.Invoke($"the stored engine snapshot at block {snap.Height} does not restore ({why}); re-executing from genesis");
            }
        }

        var projector = new Projector(engine);
        long applyTicks = 0;
        using var decoding = new DecodePipeline(blocksAfter(restoredFrom), CryptoActionDecoder.For(_genesis), DecodeDepth);
        using var writing = new WritePipeline(new PgWriter(conn, _genesisHash), h => log?.Invoke($"indexed through block {h}"));
        RowBatch batch = writing.Rent();
        try
        {
            foreach (DecodedBlock d in decoding.Read())
            {
                long t0 = Stopwatch.GetTimestamp();
                StoredBlock b = d.Block;
                if (b.Height != engine.Height + 1)
                {
                    throw new IndexerException($"height gap: after block {engine.Height} the source gives block {b.Height}; refusing to skip blocks");
                }

                bool project = Rewrite || b.Height > stored;
                if (project)
                {
                    projector.BeforeBlock();
                }

                (BlockResult result, EngineAction[] actions, ulong[] ns) = Apply(engine, nonces, d);
                if (b.Height == stored && state is not null && !state.LastRoot.AsSpan().SequenceEqual(result.StateRoot))
                {
                    throw new IndexerException($"block {b.Height}: the database recorded state root {Convert.ToHexStringLower(state.LastRoot)} but this chain reaches {Convert.ToHexStringLower(result.StateRoot)}: the database holds another chain with the same genesis; refusing to mix chains");
                }

                if (project)
                {
                    projector.Project(batch, result, actions, ns);
                }

                applyTicks += Stopwatch.GetTimestamp() - t0;
                if (batch.Blocks.Count >= BatchBlocks || batch.Rows >= BatchRows || (FlushWhenIdle && batch.Blocks.Count > 0 && !decoding.HasReady))
                {
                    // The engine is exactly at the batch's last block here (never on the refusal path below).
                    if (SnapshotEvery > 0 && batch.Blocks.Count > 0 && batch.Blocks[^1].Height - lastSnapshot >= SnapshotEvery)
                    {
                        BlockMark last = batch.Blocks[^1];
                        batch.Snapshot = new IndexerSnapshot(last.Height, last.StateRoot, SnapshotImage.Encode(engine, nonces, 0));
                        lastSnapshot = last.Height;
                    }

                    writing.Submit(batch);
                    batch = writing.Rent();
                }
            }

        }
        catch (IndexerException)
        {
            // The blocks before the bad one verified: commit them, then report.
            if (batch.Blocks.Count > 0)
            {
                writing.Submit(batch);
            }

            writing.Complete();
            throw;
        }

        if (batch.Blocks.Count > 0)
        {
            writing.Submit(batch);
        }

        writing.Complete();
        if (engine.Height < stored && !stopped.IsCancellationRequested)
        {
            throw new IndexerException($"the database is at block {stored} but the chain given ends at block {engine.Height}; refusing to index a shorter chain");
        }

        return new IndexSummary(engine.Height, writing.BlocksWritten, writing.ActionsWritten, stored, total.Elapsed, Stopwatch.GetElapsedTime(0, applyTicks), writing.WriteTime)
        {
            RestoredFrom = restoredFrom,
            ReplayedBlocks = engine.Height - restoredFrom,
            VerifyTime = decoding.DecodeTime,
            DecodeWaitTime = decoding.WaitTime,
            WriteWaitTime = writing.WaitTime,
        };
    }

    private static IEnumerable<StoredBlock> After(IEnumerable<StoredBlock> blocks, long height)
    {
        foreach (StoredBlock b in blocks)
        {
            if (b.Height > height)
            {
                yield return b;
            }
        }
    }

    private bool TryRestore(IndexerSnapshot snap, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Engine? engine, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NonceTable? nonces, out string? why)
    {
        engine = null;
        nonces = null;
        why = null;
        if (!SnapshotImage.TryDecode(snap.Image, out ReadOnlySpan<byte> state, out _, out NonceTable n))
        {
            why = "not a readable snapshot image";
            return false;
        }

        try
        {
            engine = Engine.RestoreSnapshot(_genesis, state, snap.StateRoot);
        }
        catch (Core.State.InvalidSnapshotException e)
        {
            why = e.Message;
            return false;
        }

        nonces = n;
        return true;
    }

    // The replayer's checks, keeping the decoded signers and nonces the tables need.
    private static (BlockResult, EngineAction[], ulong[]) Apply(Engine engine, NonceTable nonces, DecodedBlock decoded)
    {
        StoredBlock stored = decoded.Block;
        if (decoded.Error is { } error)
        {
            throw new IndexerException($"block {stored.Height} {error}: the logged action does not verify under this genesis; is the block from another chain?");
        }

        var actions = new EngineAction[stored.Actions.Count];
        var ns = new ulong[actions.Length];
        for (int i = 0; i < actions.Length; i++)
        {
            DecodedAction d = decoded.Actions[i]!;
            if (nonces.Check(d.Signer, d.Nonce) is { } bad)
            {
                throw new IndexerException($"block {stored.Height} action {i}: nonce {d.Nonce} of {d.Signer} is not its next nonce ({bad})");
            }

            nonces.Consume(d.Signer);
            actions[i] = d.Action;
            ns[i] = d.Nonce;
        }
        if (!stored.ParentRoot.AsSpan().SequenceEqual(engine.LastRoot))
        {
            throw new IndexerException($"block {stored.Height}: parent root {Convert.ToHexStringLower(stored.ParentRoot)} is not the root {Convert.ToHexStringLower(engine.LastRoot)} reached at block {engine.Height}; the block belongs to another chain");
        }

        BlockResult result;
        try
        {
            result = engine.Apply(new Block(new BlockHeader(stored.Height, stored.Time, stored.ParentRoot), actions));
        }
        catch (InvalidBlockException e)
        {
            throw new IndexerException($"block {stored.Height}: {e.Message}");
        }

        if (!result.StateRoot.AsSpan().SequenceEqual(stored.StateRoot))
        {
            throw new IndexerException($"block {stored.Height}: re-executed state root {Convert.ToHexStringLower(result.StateRoot)} differs from the logged {Convert.ToHexStringLower(stored.StateRoot)}");
        }

        engine.DrainDirty([]);
        return (result, actions, ns);
    }
}
