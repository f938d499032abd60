using System.CommandLine;
using Solvent.Storage;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent repair DATA_DIR --keep-intact-prefix</c>: the documented way out of a damaged block log.
/// The node refuses to start on damage and changes nothing; this command, run by an operator who has
/// read what it will lose, keeps the blocks before the damage and moves the rest aside. Exit 0 when
/// repaired or nothing was wrong, 2 on bad input or a directory it cannot change.
/// </summary>
internal static class RepairCommand
{
    public static Command Build()
    {
        var dir = new Argument<string>("data-dir") { Description = "A node's data directory whose blocks.log the node refused as damaged" };
        var keep = new Option<bool>("--keep-intact-prefix")
        {
            Description = "Confirm: keep the blocks before the damage; the damaged log and snapshots above it are renamed aside, and actions acknowledged after the damage are lost unless a replica holds them",
        };
        var cmd = new Command("repair", "Repair a damaged block log by keeping its intact prefix (the node refuses to start until then)") { dir, keep };
        cmd.SetAction(p => Run(p.GetValue(dir)!, p.GetValue(keep)));
        return cmd;
    }

    private static int Run(string dataDir, bool confirmed)
    {
        if (!File.Exists(Path.Combine(dataDir, BlockLog.FileName)))
        {
            Console.Error.WriteLine($"error: {dataDir} has no {BlockLog.FileName}");
            return 2;
        }

        try
        {
            if (!confirmed)
            {
                if (LogRepair.Inspect(dataDir) is not { } e)
                {
                    using BlockLog probe = BlockLog.Open(dataDir, readOnly: true);
                    Console.WriteLine($"{dataDir}: the block log reads back intact ({probe.Count} blocks); nothing to repair");
                    return 0;
                }

                Console.Error.WriteLine($"damaged: {e.Message}");
                Console.Error.WriteLine($"run again with --keep-intact-prefix to keep blocks 1–{e.IntactBlocks} and move the damaged log aside");
                return 1;
            }

            LogRepair.Result? r = LogRepair.Run(dataDir);
            if (r is null)
            {
                Console.WriteLine($"{dataDir}: the block log reads back intact; nothing to repair");
                return 0;
            }

            Console.WriteLine($"kept blocks 1–{r.KeptBlocks} (damage began at byte {r.DamageOffset}); the damaged log is now {r.DamagedCopy}");
            if (r.MovedSnapshots.Count > 0)
            {
                Console.WriteLine($"snapshots above block {r.KeptBlocks} renamed aside: {string.Join(", ", r.MovedSnapshots)}");
            }

            Console.WriteLine($"start the node again; actions acknowledged after block {r.KeptBlocks} are not in this log (recover them from a replica), and signers' nonces restart from the kept prefix");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot repair {dataDir}: {e.Message}");
            return 2;
        }
    }
}
