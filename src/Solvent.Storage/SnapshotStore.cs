using System.Buffers.Binary;
using System.Globalization;

namespace Solvent.Storage;

/// <summary>
/// Snapshots in a data directory as <c>snapshot-HEIGHT.snap</c>, each one framed record (length +
/// payload + XxHash64). A write goes to a temporary file, is fsynced, renamed over the final name and the
/// directory fsynced (<see cref="DurableFile.Replace"/>), so a crash leaves either the old set or the new
/// one; only the newest <see cref="Keep"/> are kept. <paramref name="fileSystem"/> defaults to the real one.
/// </summary>
public sealed class SnapshotStore(string directory, Action<string>? log = null, IFileSystem? fileSystem = null)
{
    /// <summary>Snapshots kept on disk.</summary>
    public const int Keep = 2;

    private const string Prefix = "snapshot-";
    private const string Suffix = ".snap";

    private readonly IFileSystem _fs = fileSystem ?? OsFileSystem.Instance;

    /// <summary>Writes a snapshot atomically and durably and removes older ones beyond <see cref="Keep"/>.</summary>
    public string Write(Snapshot s)
    {
        DurableFile.CreateDirectory(_fs, directory);
        string final = Path.Combine(directory, $"{Prefix}{s.Height:D12}{Suffix}");
        DurableFile.Replace(_fs, final, RecordFraming.Frame(Encode(s)));

        // Deletions need no directory fsync: an old snapshot that reappears after power loss is still intact
        // and below the log's end, and the next write removes it again.
        string[] all = List();
        for (int i = 0; i < all.Length - Keep; i++)
        {
            _fs.Delete(all[i]);
        }

        return final;
    }

    /// <summary>Removes temporary files a crash or a failed write left behind (they are never read).</summary>
    public int CleanTemporaryFiles()
    {
        int n = 0;
        foreach (string t in _fs.ListFiles(directory, Prefix + "*" + Suffix + DurableFile.TemporarySuffix))
        {
            n += DurableFile.TryDelete(_fs, t) ? 1 : 0;
        }

        return n;
    }

    /// <summary>The newest snapshot that reads back intact (damaged ones are reported and skipped), or null.</summary>
    public Snapshot? LoadLatest()
    {
        string[] all = List();
        for (int i = all.Length - 1; i >= 0; i--)
        {
            byte[] data = DurableFile.ReadAll(_fs, all[i]);
            if (RecordFraming.TryRead(data, out ReadOnlySpan<byte> payload) == data.Length && TryDecode(payload, out Snapshot? s))
            {
                return s;
            }

            log?.Invoke($"snapshot {all[i]} is damaged; ignoring it");
        }

        return null;
    }

    /// <summary>
    /// Reads one snapshot file (for tools pointed at a file rather than a data directory). Throws
    /// <see cref="InvalidDataException"/> when the file is torn, fails its checksum or does not decode.
    /// </summary>
    public static Snapshot ReadFile(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        return RecordFraming.TryRead(data, out ReadOnlySpan<byte> payload) == data.Length && TryDecode(payload, out Snapshot? s)
            ? s!
            : throw new InvalidDataException($"{path} is not an intact snapshot (torn, failed its checksum or malformed)");
    }

    /// <summary>Snapshot files, oldest first (temporary files excluded).</summary>
    public string[] List()
    {
        string[] files = _fs.ListFiles(directory, Prefix + "*" + Suffix);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static byte[] Encode(Snapshot s)
    {
        byte[] b = new byte[8 + 8 + 32 + 32 + 8 + 4 + s.State.Length];
        BinaryPrimitives.WriteInt64LittleEndian(b, s.Height);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), s.Time);
        s.StateRoot.CopyTo(b, 16);
        s.AccountsRoot.CopyTo(b, 48);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(80), s.LogLength);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(88), s.State.Length);
        s.State.CopyTo(b, 92);
        return b;
    }

    private static bool TryDecode(ReadOnlySpan<byte> b, out Snapshot? s)
    {
        s = null;
        if (b.Length < 92)
        {
            return false;
        }

        int stateLength = BinaryPrimitives.ReadInt32LittleEndian(b[88..]);
        if (stateLength < 0 || stateLength != b.Length - 92)
        {
            return false;
        }

        s = new Snapshot(
            BinaryPrimitives.ReadInt64LittleEndian(b),
            BinaryPrimitives.ReadInt64LittleEndian(b[8..]),
            b.Slice(16, 32).ToArray(),
            b.Slice(48, 32).ToArray(),
            BinaryPrimitives.ReadInt64LittleEndian(b[80..]),
            b[92..].ToArray());
        return true;
    }

    /// <summary>Height encoded in a snapshot file name, or -1.</summary>
    public static long HeightOf(string file)
    {
        string name = Path.GetFileName(file);
        return name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Suffix, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long h)
            ? h
            : -1;
    }
}
