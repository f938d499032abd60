namespace Solvent.Storage;

/// <summary>
/// The create and replace patterns that survive power loss: a new name is durable only once its directory
/// is fsynced, and a file replaced in place could be half old, half new, so a replacement is written to a
/// temporary file, fsynced, renamed over the final name and the directory fsynced.
/// </summary>
public static class DurableFile
{
    /// <summary>Suffix of the temporary file <see cref="Replace"/> writes first.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Creates <paramref name="directory"/> and any missing ancestors, fsyncing each new directory's parent
    /// so the whole path survives power loss. Nothing happens when it exists.
    /// </summary>
    public static void CreateDirectory(IFileSystem fs, string directory)
    {
        string full = Path.GetFullPath(directory);
        var missing = new Stack<string>();
        for (string? d = full; d is not null && !fs.DirectoryExists(d); d = Path.GetDirectoryName(d))
        {
            missing.Push(d);
        }

        while (missing.TryPop(out string? d))
        {
            fs.CreateDirectory(d);
            if (Path.GetDirectoryName(d) is { } parent)
            {
                fs.SyncDirectory(parent);
            }
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> atomically and durably: after a crash
    /// the file holds the old content or the new, whole. A failed write removes its temporary file.
    /// </summary>
    public static void Replace(IFileSystem fs, string path, ReadOnlySpan<byte> content)
    {
        string temp = path + TemporarySuffix;
        try
        {
            using (IStorageFile f = fs.Open(temp, StorageOpen.Create))
            {
                f.Write(content, 0);
                f.FlushToDisk();
            }

            fs.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A half-written temporary file (disk full) must not linger and eat the space the log needs.
            TryDelete(fs, temp);
            throw;
        }

        fs.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Deletes <paramref name="path"/>, reporting instead of throwing when it cannot.</summary>
    public static bool TryDelete(IFileSystem fs, string path)
    {
        try
        {
            fs.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a whole file.</summary>
    public static byte[] ReadAll(IFileSystem fs, string path)
    {
        using IStorageFile f = fs.Open(path, StorageOpen.Read);
        byte[] data = new byte[checked((int)f.Length)];
        int n = f.Read(data, 0);
        return n == data.Length ? data : data[..n];
    }
}
