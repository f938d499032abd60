using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Solvent.Storage;

/// <summary>
/// The append-only block log (one file, <c>blocks.log</c>): one framed record per block, one fsync per
/// append (group commit: a block holds every action acknowledged with it). Opening scans every record;
/// a torn tail — an incomplete last append, what a crash mid-append leaves — is truncated and reported
/// through the log callback. Any other damage (a whole record failing its checksum, or bad bytes with an
/// intact record after them) throws <see cref="LogCorruptionException"/> and changes nothing on disk. Appends come from one writer; reads of committed blocks are safe from any thread.
/// </summary>
public sealed class BlockLog : IDisposable
{
    /// <summary>File name of the log inside its data directory.</summary>
    public const string FileName = "blocks.log";

    private readonly SafeFileHandle _handle;
    private readonly List<(long Offset, int Length)> _records = [];
    private readonly Lock _gate = new();
    private readonly List<long> _actionsBefore = [0];
    private long _end;

    private BlockLog(SafeFileHandle handle) => _handle = handle;

    /// <summary>Whether the log was opened for inspection only.</summary>
    public bool ReadOnly { get; private init; }

    /// <summary>Path of the log file.</summary>
    public required string Path { get; init; }

    /// <summary>Number of committed blocks (equal to the last height).</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Bytes of committed records.</summary>
    public long Length => Interlocked.Read(ref _end);

    /// <summary>
    /// Opens (creating if needed) the log in <paramref name="directory"/>, validates every record and
    /// truncates a torn tail. Throws <see cref="LogCorruptionException"/> (before writing anything) when
    /// committed bytes were damaged or a checksummed record does not hold the next block in sequence.
    /// <paramref name="readOnly"/> opens an existing log for inspection: a torn tail is reported and
    /// ignored, never truncated, and appends are refused.
    /// </summary>
    public static BlockLog Open(string directory, Action<string>? log = null, bool readOnly = false)
    {
        string path = System.IO.Path.Combine(directory, FileName);
        if (!readOnly)
        {
            Directory.CreateDirectory(directory);
        }

        bool created = !readOnly && !File.Exists(path);
        SafeFileHandle handle = readOnly
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)
            : File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (created)
        {
            DurableDirectory.Sync(directory);
        }

        var result = new BlockLog(handle) { Path = path, ReadOnly = readOnly };
        try
        {
            result.Scan(log);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return result;
    }

    private void Scan(Action<string>? log)
    {
        long fileLength = RandomAccess.GetLength(_handle);
        long offset = 0;
        byte[] head = new byte[4];
        while (offset < fileLength)
        {
            long remaining = fileLength - offset;
            string? problem = null;
            bool complete = false;
            int total = -1;
            if (remaining < RecordFraming.Overhead)
            {
                problem = $"{remaining} bytes, shorter than a record frame";
            }
            else
            {
                RandomAccess.Read(_handle, head, offset);
                int length = BinaryPrimitives.ReadInt32LittleEndian(head);
                if (length < 0 || length > RecordFraming.MaxPayload || length > remaining - RecordFraming.Overhead)
                {
                    problem = $"record length {length} does not fit the {remaining} bytes left";
                }
                else
                {
                    byte[] record = new byte[length + RecordFraming.Overhead];
                    RandomAccess.Read(_handle, record, offset);
                    total = RecordFraming.TryRead(record, out ReadOnlySpan<byte> payload);
                    if (total < 0)
                    {
                        // A last record that reads as zeros from a page boundary to the end is pages the
                        // crash did not write (the file grew first); any other whole record with a bad
                        // checksum is damage.
                        complete = offset + record.Length != fileLength || !ZeroFromPageBoundary(record, offset);
                        problem = "checksum mismatch";
                    }
                    else if (!BlockCodec.TryDecode(payload, out StoredBlock? block))
                    {
                        throw new LogCorruptionException(Path, offset, _records.Count, $"record at byte {offset} has a valid checksum but is not a block this version can read");
                    }
                    else if (block!.Height != _records.Count + 1)
                    {
                        throw new LogCorruptionException(Path, offset, _records.Count, $"record at byte {offset} holds block {block.Height}, expected {_records.Count + 1}");
                    }
                }
            }

            if (problem is not null)
            {
                // Only an incomplete last append is a crash artefact. A whole record that fails its
                // checksum, or damage with an intact record after it, means bytes changed under
                // committed blocks: refuse, and leave every byte on disk for the repair path.
                string? damage = complete || RecoversAsWholeRecord(offset, fileLength)
                    ? "a whole record fails its checksum"
                    : FindRecordAfter(offset, fileLength) is var later and >= 0 ? $"an intact record follows at byte {later}" : null;
                if (damage is not null)
                {
                    throw new LogCorruptionException(Path, offset, _records.Count, $"damage at byte {offset} after block {_records.Count} ({problem}; {damage})");
                }

                if (ReadOnly)
                {
                    log?.Invoke($"block log {Path}: torn tail at byte {offset} after block {_records.Count} ({problem}); ignoring {remaining} bytes (read-only)");
                    break;
                }

                log?.Invoke($"block log {Path}: torn tail at byte {offset} after block {_records.Count} ({problem}); truncating {remaining} bytes");
                RandomAccess.SetLength(_handle, offset);
                RandomAccess.FlushToDisk(_handle);
                break;
            }

            _records.Add((offset, total));
            offset += total;
        }

        _end = offset;
    }

    /// <summary>
    /// Whether <paramref name="record"/>, at file offset <paramref name="offset"/>, reads as zeros from a
    /// 4 KiB page boundary inside it to its end (the first boundary at or after its last non-zero byte).
    /// </summary>
    private static bool ZeroFromPageBoundary(byte[] record, long offset)
    {
        const int Page = 4096;
        long lastData = offset + record.AsSpan().LastIndexOfAnyExcept((byte)0) + 1;
        long boundary = (lastData + Page - 1) / Page * Page;
        return boundary < offset + record.Length;
    }

    /// <summary>
    /// Whether the bytes from <paramref name="offset"/> to the end are one whole record whose length field
    /// alone was damaged (a torn append can cut a record short, never rewrite its length).
    /// </summary>
    private bool RecoversAsWholeRecord(long offset, long fileLength)
    {
        long length = fileLength - offset - RecordFraming.Overhead;
        if (length < 0 || length > RecordFraming.MaxPayload)
        {
            return false;
        }

        byte[] record = new byte[length + RecordFraming.Overhead];
        RandomAccess.Read(_handle, record, offset);
        BinaryPrimitives.WriteInt32LittleEndian(record, (int)length);
        return RecordFraming.TryRead(record, out ReadOnlySpan<byte> payload) > 0 && BlockCodec.TryDecode(payload, out _);
    }

    /// <summary>
    /// Offset of the first intact record of a later block after the damage at <paramref name="damage"/>,
    /// or -1. Candidates are pre-filtered on the block header (version byte and a height that can follow)
    /// before any checksum is computed, so the scan is linear in the bytes after the damage.
    /// </summary>
    private long FindRecordAfter(long damage, long fileLength)
    {
        const int HeaderProbe = 4 + 1 + 8;
        const long MinRecord = RecordFraming.Overhead + BlockCodec.HeaderLength;
        long first = _records.Count + 1;
        long last = first + ((fileLength - damage) / MinRecord) + 1;
        byte[] window = new byte[1 << 20];
        for (long start = damage + 1; start + MinRecord <= fileLength; start += window.Length - HeaderProbe)
        {
            int n = RandomAccess.Read(_handle, window, start);
            for (int i = 0; i + HeaderProbe <= n; i++)
            {
                if (window[i + 4] != BlockCodec.CurrentVersion)
                {
                    continue;
                }

                long height = BinaryPrimitives.ReadInt64LittleEndian(window.AsSpan(i + 5));
                int length = BinaryPrimitives.ReadInt32LittleEndian(window.AsSpan(i));
                long at = start + i;
                if (height <= first || height > last || length < BlockCodec.HeaderLength || length > fileLength - at - RecordFraming.Overhead)
                {
                    continue;
                }

                byte[] record = new byte[length + RecordFraming.Overhead];
                RandomAccess.Read(_handle, record, at);
                if (RecordFraming.TryRead(record, out ReadOnlySpan<byte> payload) > 0 && BlockCodec.TryDecode(payload, out _))
                {
                    return at;
                }
            }

            if (n < window.Length)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>Appends one block and makes it durable (fsync) before returning. Returns the record's size in bytes.</summary>
    public int Append(StoredBlock block)
    {
        if (ReadOnly)
        {
            throw new InvalidOperationException($"{Path} was opened read-only");
        }

        lock (_gate)
        {
            if (block.Height != _records.Count + 1)
            {
                throw new InvalidOperationException($"block {block.Height} does not follow block {_records.Count}");
            }
        }

        byte[] record = RecordFraming.Frame(BlockCodec.Encode(block));
        long offset = _end;
        RandomAccess.Write(_handle, record, offset);
        RandomAccess.FlushToDisk(_handle);
        lock (_gate)
        {
            _records.Add((offset, record.Length));
            Interlocked.Exchange(ref _end, offset + record.Length);
        }

        return record.Length;
    }

    /// <summary>Reads committed block <paramref name="height"/> (1-based), or null when there is none.</summary>
    public StoredBlock? Read(long height)
    {
        (long offset, int length) rec;
        lock (_gate)
        {
            if (height < 1 || height > _records.Count)
            {
                return null;
            }

            rec = _records[(int)(height - 1)];
        }

        byte[] record = new byte[rec.length];
        RandomAccess.Read(_handle, record, rec.offset);
        if (RecordFraming.TryRead(record, out ReadOnlySpan<byte> payload) < 0 || !BlockCodec.TryDecode(payload, out StoredBlock? block))
        {
            throw new InvalidDataException($"{Path}: block {height} changed on disk after it was committed");
        }

        return block;
    }

    /// <summary>
    /// Global sequence number of the first action in block <paramref name="height"/> (1 + the actions of every
    /// earlier block), or -1 when there is no such block. Counts are read from the records' headers once and
    /// kept, so a read of any block costs at most one pass over the headers before it, ever.
    /// </summary>
    public long FirstSequenceOf(long height)
    {
        lock (_gate)
        {
            if (height < 1 || height > _records.Count)
            {
                return -1;
            }

            Span<byte> count = stackalloc byte[4];
            while (_actionsBefore.Count < height)
            {
                (long offset, _) = _records[_actionsBefore.Count - 1];
                RandomAccess.Read(_handle, count, offset + 4 + BlockCodec.HeaderLength - 4);
                _actionsBefore.Add(checked(_actionsBefore[^1] + BinaryPrimitives.ReadInt32LittleEndian(count)));
            }

            return _actionsBefore[(int)(height - 1)] + 1;
        }
    }

    /// <summary>Every committed block in height order (read lazily).</summary>
    public IEnumerable<StoredBlock> ReadAll()
    {
        long count = Count;
        for (long h = 1; h <= count; h++)
        {
            yield return Read(h)!;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
