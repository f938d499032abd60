using System.Globalization;

namespace Solvent.Storage;

/// <summary>
/// The operator's explicit repair of a damaged block log: keeps the intact prefix of blocks, moves the
/// damaged file and every snapshot above the prefix aside (renamed, never deleted), and fsyncs the
/// directory. Blocks after the damage are not in the repaired log: their acknowledged actions survive
/// only where another copy exists (a replica, or the moved-aside file for forensic recovery).
/// </summary>
public static class LogRepair
{
    /// <summary>What a repair did.</summary>
    public sealed record Result(long KeptBlocks, long DamageOffset, string DamagedCopy, IReadOnlyList<string> MovedSnapshots);

    /// <summary>
    /// Repairs <paramref name="directory"/>'s log, or returns null when it opens cleanly (nothing to do).
    /// Throws <see cref="IOException"/> when the directory cannot be changed.
    /// </summary>
    public static Result? Run(string directory)
    {
        LogCorruptionException damage;
        try
        {
            using BlockLog probe = BlockLog.Open(directory, readOnly: true);
            return null;
        }
        catch (LogCorruptionException e)
        {
            damage = e;
        }

        string log = Path.Combine(directory, BlockLog.FileName);
        string stamp = damage.Offset.ToString(CultureInfo.InvariantCulture);
        string aside = log + ".damaged-at-" + stamp;
        string fresh = log + ".repair.tmp";
        using (FileStream src = new(log, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (FileStream dst = new(fresh, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            byte[] buffer = new byte[1 << 20];
            long left = damage.Offset;
            while (left > 0)
            {
                int n = src.Read(buffer, 0, (int)System.Math.Min(buffer.Length, left));
                if (n <= 0)
                {
                    throw new IOException($"{log} ended before byte {damage.Offset}");
                }

                dst.Write(buffer, 0, n);
                left -= n;
            }

            dst.Flush(flushToDisk: true);
        }

        File.Move(log, aside);
        File.Move(fresh, log);
        var moved = new List<string>();
        foreach (string snap in Directory.GetFiles(directory, "snapshot-*.snap"))
        {
            string name = Path.GetFileNameWithoutExtension(snap);
            if (long.TryParse(name.AsSpan("snapshot-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out long h) && h > damage.IntactBlocks)
            {
                File.Move(snap, snap + ".above-repair");
                moved.Add(Path.GetFileName(snap));
            }
        }

        moved.Sort(StringComparer.Ordinal);
        DurableDirectory.Sync(directory);
        return new Result(damage.IntactBlocks, damage.Offset, Path.GetFileName(aside), moved);
    }
}
