using System.Diagnostics;
using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Node.Ingress;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Node.Recovery;

/// <summary>
/// Start-up recovery: opens the log (truncating a torn tail), rebuilds the engine from genesis by
/// replaying every block with signatures and roots re-checked, and checks the newest intact snapshot's
/// root against the replayed root at its height. Any disagreement refuses the start with a message.
/// </summary>
public static class ChainLoader
{
    /// <summary>Name of the genesis copy kept in the data directory, so a restart cannot silently switch venues.</summary>
    public const string GenesisFileName = "genesis.json";

    /// <summary>What a load found, for the start-up line and <c>solvent replay</c>.</summary>
    /// <param name="Blocks">Height reached.</param>
    /// <param name="Actions">Actions replayed (after the restored snapshot, if any).</param>
    /// <param name="Rejected">Of those, rejected by the engine.</param>
    /// <param name="SnapshotHeight">Height of the newest intact snapshot (0 without one); its root was checked against the log.</param>
    /// <param name="Root">State root reached.</param>
    /// <param name="Elapsed">Time taken.</param>
    public sealed record LoadSummary(long Blocks, long Actions, long Rejected, long SnapshotHeight, byte[] Root, TimeSpan Elapsed)
    {
        /// <summary>Height of the snapshot the engine was restored from (0 = replayed from genesis).</summary>
        public long RestoredFrom { get; init; }
    }

    /// <summary>
    /// Picks the genesis text: the copy in the data directory when present (and then <paramref name="requested"/>
    /// must match it), else <paramref name="requested"/>, which is saved there durably (data directory and its
    /// parent fsynced, the copy written to a temporary file, fsynced, renamed, the directory fsynced).
    /// </summary>
    public static string ResolveGenesis(string dataDir, string requested, bool save, IFileSystem? fileSystem = null)
    {
        IFileSystem fs = fileSystem ?? OsFileSystem.Instance;
        string path = Path.Combine(dataDir, GenesisFileName);
        if (fs.FileExists(path))
        {
            string stored = System.Text.Encoding.UTF8.GetString(DurableFile.ReadAll(fs, path));
            if (stored != requested)
            {
                throw new RecoveryException($"{path} differs from the genesis given; a data directory belongs to one venue (use a new --data-dir or the same genesis)");
            }

            return stored;
        }

        if (save)
        {
            DurableFile.CreateDirectory(fs, dataDir);
            DurableFile.Replace(fs, path, System.Text.Encoding.UTF8.GetBytes(requested));
        }

        return requested;
    }

    /// <summary>
    /// Recovers the chain in <paramref name="dataDir"/>. With <paramref name="fromSnapshot"/> the newest
    /// intact snapshot whose root equals the logged root at its height is restored and only the blocks
    /// after it are replayed; otherwise (and for <c>solvent replay</c>) every block is replayed from
    /// genesis and the snapshot's root is checked when its height passes. The snapshot is read before the
    /// log is opened: every block up to its height was durable, so an incomplete record there is damage
    /// and the start is refused before anything on disk changes. <paramref name="fileSystem"/> defaults to the real one.
    /// <paramref name="onBlock"/>, when given, sees each replayed block.
    /// </summary>
    public static ChainState Load(Genesis genesis, string dataDir, IActionDecoder decoder, Action<string> log, out LoadSummary summary, Action<ReplayedBlock>? onBlock = null, bool readOnly = false, bool fromSnapshot = true, IFileSystem? fileSystem = null)
    {
        var sw = Stopwatch.StartNew();
        var snapshots = new SnapshotStore(dataDir, log, fileSystem);
        Snapshot? snap = snapshots.LoadLatest();
        BlockLog blocks = BlockLog.Open(dataDir, log, readOnly, fileSystem, snap?.Height ?? 0);
        try
        {
            if (!readOnly && snapshots.CleanTemporaryFiles() is var cleaned and > 0)
            {
                log($"removed {cleaned} temporary snapshot file(s) left by an interrupted write");
            }

            if (snap is not null && snap.Height > blocks.Count)
            {
                throw new RecoveryException($"snapshot at height {snap.Height} is ahead of the log, which ends at block {blocks.Count}: committed blocks are missing; refusing to start");
            }

            if (snap is not null && snap.Height > 0)
            {
                StoredBlock at = blocks.Read(snap.Height)!;
                if (!at.StateRoot.AsSpan().SequenceEqual(snap.StateRoot))
                {
                    throw new RecoveryException($"snapshot at height {snap.Height} has root {Convert.ToHexString(snap.StateRoot)} but the log's block {snap.Height} has {Convert.ToHexString(at.StateRoot)}; refusing to start");
                }
            }

            Engine engine;
            NonceTable nonces;
            AccountCommitment accounts;
            long sequence = 0, actions = 0, rejected = 0, restoredAt = 0;
            if (fromSnapshot && snap is not null && SnapshotImage.TryDecode(snap.State, out ReadOnlySpan<byte> state, out long seq, out NonceTable restoredNonces))
            {
                try
                {
                    engine = Engine.RestoreSnapshot(genesis, state, snap.StateRoot);
                }
                catch (InvalidSnapshotException e)
                {
                    throw new RecoveryException($"snapshot at height {snap.Height} does not restore: {e.Message}; refusing to start (move it aside to replay from genesis)");
                }

                nonces = restoredNonces;
                accounts = AccountCommitment.Of(engine);
                if (!accounts.Root().AsSpan().SequenceEqual(snap.AccountsRoot))
                {
                    throw new RecoveryException($"snapshot at height {snap.Height}: restored accounts root differs from the logged one; refusing to start");
                }

                sequence = seq;
                restoredAt = snap.Height;
            }
            else
            {
                if (fromSnapshot && snap is not null)
                {
                    log($"snapshot at height {snap.Height} holds no readable state image; replaying the log from genesis");
                }

                engine = new Engine(genesis);
                nonces = new NonceTable();
                accounts = AccountCommitment.Of(engine);
            }

            for (long h = engine.Height + 1; h <= blocks.Count; h++)
            {
                StoredBlock b = blocks.Read(h)!;
                Core.State.Address[]? signers = onBlock is null ? null : new Core.State.Address[b.Actions.Count];
                Core.Blocks.BlockResult r = BlockReplayer.Replay(engine, nonces, accounts, decoder, b, signers);
                long first = sequence + actions + 1;
                actions += b.Actions.Count;
                foreach (Core.Actions.ActionResult ar in r.Results)
                {
                    rejected += ar.Ok ? 0 : 1;
                }

                onBlock?.Invoke(new ReplayedBlock(engine, r, signers!, first));
            }

            summary = new LoadSummary(engine.Height, actions, rejected, snap?.Height ?? 0, engine.LastRoot, sw.Elapsed) { RestoredFrom = restoredAt };
            return new ChainState(engine, nonces, accounts, sequence + actions, blocks, snapshots);
        }
        catch
        {
            blocks.Dispose();
            throw;
        }
    }
}
