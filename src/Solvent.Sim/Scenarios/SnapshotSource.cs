using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Storage;

namespace Solvent.Sim.Scenarios;

/// <summary>
/// Reads <c>population.snapshot</c>: a node's snapshot file, or its data directory (the newest intact
/// snapshot there). The engine state is restored once here against the venue's genesis and the snapshot's
/// recorded root, so a snapshot from another genesis, a damaged file or a bare checkpoint is refused when
/// the scenario loads, naming the path, rather than part-way through a run.
/// </summary>
internal static class SnapshotSource
{
    private static readonly string[] GeneratorKeys = ["accounts", "collateral", "debt", "sizeUsd", "ltv", "perpShare", "markets", "leverage", "longShare"];

    public static SnapshotSpec Load(JsonNode population, Genesis g, string baseDir, int seed)
    {
        foreach (string key in GeneratorKeys)
        {
            if (population.Has(key))
            {
                throw new ScenarioException($"{population.Path}.{key}", "a population loaded from a snapshot cannot also be generated; remove either snapshot or the distributions");
            }
        }

        JsonNode node = population.Get("snapshot");
        string path = Path.GetFullPath(Path.Combine(baseDir, node.Str()));
        Snapshot snap;
        try
        {
            if (Directory.Exists(path))
            {
                snap = new SnapshotStore(path).LoadLatest()
                    ?? throw new ScenarioException(node.Path, $"{node.Str()} holds no intact snapshot (snapshot-HEIGHT.snap); let the node write one (--snapshot-every) or name a file");
            }
            else if (File.Exists(path))
            {
                snap = SnapshotStore.ReadFile(path);
            }
            else
            {
                throw new ScenarioException(node.Path, $"snapshot {node.Str()} does not exist (name a node's data directory or a snapshot-HEIGHT.snap file)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new ScenarioException(node.Path, $"snapshot {node.Str()}: {e.Message}");
        }

        if (!StateImage.TryDecode(snap.State, out ReadOnlySpan<byte> state, out _, out _))
        {
            throw new ScenarioException(node.Path, $"snapshot at height {snap.Height} holds no engine state (a bare checkpoint or an unknown image version)");
        }

        try
        {
            Engine.RestoreSnapshot(g, state, snap.StateRoot);
        }
        catch (InvalidSnapshotException e)
        {
            throw new ScenarioException(node.Path, $"snapshot at height {snap.Height} does not restore on genesis {g.Name}: {e.Message}");
        }

        return new SnapshotSpec(path, snap.Height, state.ToArray(), snap.StateRoot, (int)population.Num("seed", seed, 0, int.MaxValue));
    }
}
