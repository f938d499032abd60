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
    /// What a start would refuse in <paramref name="directory"/>, changing nothing: the damage, or null when
    /// the log opens cleanly. Damage includes an incomplete record at or below the newest intact snapshot.
    /// </summary>
    public static LogCorruptionException? Inspect(string directory, IFileSystem? fileSystem = null)
    {
        IFileSystem fs = fileSystem ?? OsFileSystem.Instance;
        long committed = new SnapshotStore(directory, null, fs).LoadLatest()?.Height ?? 0;
        try
        {
            using BlockLog probe = BlockLog.Open(directory, readOnly: true, fileSystem: fs, committedBlocks: committed);
            return null;
        }
        catch (LogCorruptionException e)
        {
            return e;
        }
    }

    /// <summary>
    /// Repairs <paramref name="directory"/>'s log, or returns null when it opens cleanly (nothing to do).
    /// Throws <see cref="IOException"/> when the directory cannot be changed.
    /// </summary>
    public static Result? Run(string directory, IFileSystem? fileSystem = null)
    {
        IFileSystem fs = fileSystem ?? OsFileSystem.Instance;
        if (Inspect(directory, fs) is not { } damage)
        {
            return null;
        }

        string log = Path.Combine(directory, BlockLog.FileName);
        string aside = log + ".damaged-at-" + damage.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string fresh = log + ".repair.tmp";
        using (IStorageFile src = fs.Open(log, StorageOpen.Read))
        using (IStorageFile dst = fs.Open(fresh, StorageOpen.Create))
        {
            byte[] buffer = new byte[1 << 20];
            for (long at = 0; at < damage.Offset;)
            {
                int n = src.Read(buffer.AsSpan(0, (int)System.Math.Min(buffer.Length, damage.Offset - at)), at);
                if (n <= 0)
                {
                    throw new IOException($"{log} ended before byte {damage.Offset}");
                }

                dst.Write(buffer.AsSpan(0, n), at);
                at += n;
            }

            dst.FlushToDisk();
        }

        fs.Move(log, aside, overwrite: false);
        fs.Move(fresh, log, overwrite: false);
        var moved = new List<string>();
        foreach (string snap in new SnapshotStore(directory, null, fs).List())
        {
            if (SnapshotStore.HeightOf(snap) > damage.IntactBlocks)
            {
                fs.Move(snap, snap + ".above-repair", overwrite: false);
                moved.Add(Path.GetFileName(snap));
            }
        }

        moved.Sort(StringComparer.Ordinal);
        fs.SyncDirectory(Path.GetFullPath(directory));
        return new Result(damage.IntactBlocks, damage.Offset, Path.GetFileName(aside), moved);
    }
}
