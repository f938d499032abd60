using System.CommandLine;
using System.Text.Json;
using Solvent.Core.Config;
using Solvent.Node.Ingress;
using Solvent.Node.Recovery;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent replay DATA_DIR [--json]</c>: re-executes a node's whole block log from genesis without
/// changing it, re-verifying every signature and nonce and checking every block's state root (and the
/// newest snapshot's). Exit code 0 when everything agrees, 1 on the first disagreement, 2 on bad input.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>The summary printed by the command.</summary>
    public sealed record ReplaySummary(string DataDir, string Venue, long Blocks, long Actions, long Rejected, long SnapshotHeight, string StateRoot, long ElapsedMs, long BlocksPerSecond);

    public static Command Build()
    {
        var dir = new Argument<string>("data-dir") { Description = "A node's data directory (holds genesis.json and blocks.log)" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var cmd = new Command("replay", "Re-execute a node's block log from genesis and check every block's state root") { dir, json };
        cmd.SetAction(p => Run(p.GetValue(dir)!, p.GetValue(json)));
        return cmd;
    }

    private static int Run(string dataDir, bool asJson)
    {
        string genesisPath = Path.Combine(dataDir, ChainLoader.GenesisFileName);
        Genesis genesis;
        try
        {
            genesis = GenesisLoader.Parse(File.ReadAllText(genesisPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GenesisException)
        {
            Console.Error.WriteLine($"error: cannot read {genesisPath}: {e.Message}");
            return 2;
        }

        if (!File.Exists(Path.Combine(dataDir, Storage.BlockLog.FileName)))
        {
            Console.Error.WriteLine($"error: {dataDir} has no {Storage.BlockLog.FileName}");
            return 2;
        }

        try
        {
            using ChainState chain = ChainLoader.Load(genesis, dataDir, CryptoActionDecoder.For(genesis), m => Console.Error.WriteLine("warning: " + m), out ChainLoader.LoadSummary s, readOnly: true, fromSnapshot: false);
            long ms = (long)s.Elapsed.TotalMilliseconds;
            var summary = new ReplaySummary(Path.GetFullPath(dataDir), genesis.Name, s.Blocks, s.Actions, s.Rejected, s.SnapshotHeight, Solvent.Node.Api.Hex.Of(s.Root), ms, ms == 0 ? s.Blocks * 1000 : s.Blocks * 1000 / ms);
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(summary, EvalCommand.Json));
            }
            else
            {
                Console.WriteLine($"replayed {summary.Blocks} blocks ({summary.Actions} actions, {summary.Rejected} rejected by the engine) of {summary.Venue} in {summary.ElapsedMs} ms");
                Console.WriteLine(summary.SnapshotHeight > 0
                    ? $"every block's state and accounts roots agree with the log; the newest snapshot (height {summary.SnapshotHeight}) agrees too"
                    : "every block's state and accounts roots agree with the log (no snapshot yet)");
                Console.WriteLine($"state root {summary.StateRoot}");
            }

            return 0;
        }
        catch (RecoveryException e)
        {
            Console.Error.WriteLine($"error: replay disagrees with the log: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidDataException or Storage.LogCorruptionException)
        {
            Console.Error.WriteLine($"error: the log is damaged: {e.Message}");
            return 1;
        }
    }
}
