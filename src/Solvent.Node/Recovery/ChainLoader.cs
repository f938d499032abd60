using System.Diagnostics;
using Solvent.Core;
using Solvent.Core.Config;
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
    public sealed record LoadSummary(long Blocks, long Actions, long Rejected, long SnapshotHeight, byte[] Root, TimeSpan Elapsed);

    /// <summary>
    /// Picks the genesis text: the copy in the data directory when present (and then <paramref name="requested"/>
    /// must match it), else <paramref name="requested"/>, which is saved there.
    /// </summary>
    public static string ResolveGenesis(string dataDir, string requested, bool save)
    {
        string path = Path.Combine(dataDir, GenesisFileName);
        if (File.Exists(path))
        {
            string stored = File.ReadAllText(path);
            if (stored != requested)
            {
                throw new RecoveryException($"{path} differs from the genesis given; a data directory belongs to one venue (use a new --data-dir or the same genesis)");
            }

            return stored;
        }

        if (save)
        {
            Directory.CreateDirectory(dataDir);
            File.WriteAllText(path + ".tmp", requested);
            File.Move(path + ".tmp", path, overwrite: true);
        }

        return requested;
    }

    /// <summary>Recovers the chain in <paramref name="dataDir"/>.</summary>
    public static ChainState Load(Genesis genesis, string dataDir, IActionDecoder decoder, Action<string> log, out LoadSummary summary, Action<long, Core.Blocks.BlockResult>? onBlock = null, bool readOnly = false)
    {
        var sw = Stopwatch.StartNew();
        BlockLog blocks = BlockLog.Open(dataDir, log, readOnly);
        try
        {
            var snapshots = new SnapshotStore(dataDir, log);
            Snapshot? snap = snapshots.LoadLatest();
            var engine = new Engine(genesis);
            var nonces = new NonceTable();
            var accounts = AccountCommitment.Of(engine);
            long actions = 0, rejected = 0;
            foreach (StoredBlock b in blocks.ReadAll())
            {
                Core.Blocks.BlockResult r = BlockReplayer.Replay(engine, nonces, accounts, decoder, b);
                actions += b.Actions.Count;
                foreach (Core.Actions.ActionResult ar in r.Results)
                {
                    rejected += ar.Ok ? 0 : 1;
                }

                onBlock?.Invoke(b.Height, r);
                if (snap is not null && snap.Height == b.Height && !snap.StateRoot.AsSpan().SequenceEqual(r.StateRoot))
                {
                    throw new RecoveryException($"snapshot at height {snap.Height} has root {Convert.ToHexString(snap.StateRoot)} but the log replays to {Convert.ToHexString(r.StateRoot)}; refusing to start");
                }
            }

            if (snap is not null && snap.Height > engine.Height)
            {
                throw new RecoveryException($"snapshot at height {snap.Height} is ahead of the log, which ends at block {engine.Height}: committed blocks are missing; refusing to start");
            }

            summary = new LoadSummary(engine.Height, actions, rejected, snap?.Height ?? 0, engine.LastRoot, sw.Elapsed);
            return new ChainState(engine, nonces, accounts, actions, blocks, snapshots);
        }
        catch
        {
            blocks.Dispose();
            throw;
        }
    }
}
