using System.Buffers.Binary;
using System.Globalization;

namespace Solvent.Storage;

/// <summary>
/// Snapshots in a data directory as <c>snapshot-HEIGHT.snap</c>, each one framed record (length +
/// payload + XxHash64). A write goes to a temporary file, is fsynced, then renamed over the final name,
/// so a crash leaves either the old set or the new one; only the newest <see cref="Keep"/> are kept.
/// </summary>
public sealed class SnapshotStore(string directory, Action<string>? log = null)
{
    /// <summary>Snapshots kept on disk.</summary>
    public const int Keep = 2;

    private const string Prefix = "snapshot-";
    private const string Suffix = ".snap";

    /// <summary>Writes a snapshot atomically and removes older ones beyond <see cref="Keep"/>.</summary>
    public string Write(Snapshot s)
    {
        Directory.CreateDirectory(directory);
        string final = Path.Combine(directory, $"{Prefix}{s.Height:D12}{Suffix}");
        string temp = final + ".tmp";
        byte[] record = RecordFraming.Frame(Encode(s));
        try
        {
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                f.Write(record);
                f.Flush(flushToDisk: true);
            }

            File.Move(temp, final, overwrite: true);
        }
        catch
        {
            // A half-written temporary file (disk full) must not linger and eat the space the log needs.
            TryDelete(temp);
            throw;
        }

        DurableDirectory.Sync(directory);
        string[] all = List();
        for (int i = 0; i < all.Length - Keep; i++)
        {
            File.Delete(all[i]);
        }

        return final;
    }

    /// <summary>Removes temporary files a crash or a failed write left behind (they are never read).</summary>
    public int CleanTemporaryFiles()
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        int n = 0;
        foreach (string t in Directory.GetFiles(directory, Prefix + "*" + Suffix + ".tmp"))
        {
            n += TryDelete(t) ? 1 : 0;
        }

        return n;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The newest snapshot that reads back intact (damaged ones are reported and skipped), or null.</summary>
    public Snapshot? LoadLatest()
    {
        string[] all = List();
        for (int i = all.Length - 1; i >= 0; i--)
        {
            byte[] data = File.ReadAllBytes(all[i]);
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
        if (!Directory.Exists(directory))
        {
            return [];
        }

        string[] files = Directory.GetFiles(directory, Prefix + "*" + Suffix);
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
