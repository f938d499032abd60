using System.Buffers.Binary;

namespace Solvent.Storage;

/// <summary>
/// The append-only block log (one file, <c>blocks.log</c>): one framed record per block, one fsync per
/// append (group commit: a block holds every action acknowledged with it). Opening scans every record;
/// a torn tail — an incomplete last append, what a crash or power loss mid-append leaves — is truncated
/// and reported through the log callback. Any other damage (a whole record failing its checksum, or bad
/// bytes with an intact record after them) throws <see cref="LogCorruptionException"/> and changes nothing
/// on disk. Appends come from one writer; reads of committed blocks are safe from any thread.
/// </summary>
public sealed class BlockLog : IDisposable
{
    /// <summary>File name of the log inside its data directory.</summary>
    public const string FileName = "blocks.log";

    /// <summary>Page size assumed for data power loss never wrote (it reads back as zeros from a page boundary).</summary>
    private const int Page = 4096;

    private readonly IStorageFile _file;
    private readonly List<(long Offset, int Length)> _records = [];
    private readonly Lock _gate = new();
    private readonly List<long> _actionsBefore = [0];
    private byte[] _scratch = [];
    private long _end;

    private BlockLog(IStorageFile file) => _file = file;

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
    /// Opens (creating if needed, with the directory and its parent fsynced) the log in
    /// <paramref name="directory"/>, validates every record and truncates a torn tail. Throws
    /// <see cref="LogCorruptionException"/> (before writing anything) when committed bytes were damaged or a
    /// checksummed record does not hold the next block in sequence. <paramref name="readOnly"/> opens an
    /// existing log for inspection: a torn tail is reported and ignored, never truncated, and appends are
    /// refused. <paramref name="committedBlocks"/> is a height known to have been durable (a snapshot's):
    /// an incomplete record at or below it, or a log that ends before it, is damage, not a torn append,
    /// and is refused rather than cut.
    /// </summary>
    public static BlockLog Open(string directory, Action<string>? log = null, bool readOnly = false, IFileSystem? fileSystem = null, long committedBlocks = 0)
    {
        IFileSystem fs = fileSystem ?? OsFileSystem.Instance;
        string path = System.IO.Path.Combine(directory, FileName);
        if (!readOnly)
        {
            DurableFile.CreateDirectory(fs, directory);
        }

        bool created = !readOnly && !fs.FileExists(path);
        IStorageFile file = fs.Open(path, readOnly ? StorageOpen.Read : StorageOpen.OpenOrCreate);
        var result = new BlockLog(file) { Path = path, ReadOnly = readOnly };
        try
        {
            if (created)
            {
                fs.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            }

            result.Scan(log, committedBlocks);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return result;
    }

    private void Scan(Action<string>? log, long committedBlocks)
    {
        long fileLength = _file.Length;
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
                _file.Read(head, offset);
                int length = BinaryPrimitives.ReadInt32LittleEndian(head);
                if (length < 0 || length > RecordFraming.MaxPayload || length > remaining - RecordFraming.Overhead)
                {
                    problem = $"record length {length} does not fit the {remaining} bytes left";
                }
                else
                {
                    byte[] record = new byte[length + RecordFraming.Overhead];
                    _file.Read(record, offset);
                    total = RecordFraming.TryRead(record, out ReadOnlySpan<byte> payload);
                    if (total < 0)
                    {
                        complete = true;
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
                // Only an incomplete last append is a crash artefact: bytes cut short, or pages that power
                // loss never wrote (zeros to the end). A whole record that fails its checksum otherwise, or
                // damage with an intact record after it, means bytes changed under committed blocks: refuse,
                // and leave every byte on disk for the repair path.
                string? damage = FindRecordAfter(offset, fileLength) is var later and >= 0 ? $"an intact record follows at byte {later}"
                    : complete ? (UnwrittenTail(offset, fileLength) ? null : "a whole record fails its checksum")
                    : RecoversAsWholeRecord(offset, fileLength) ? "a whole record fails its checksum"
                    : null;
                if (damage is null && _records.Count < committedBlocks)
                {
                    damage = $"a snapshot at height {committedBlocks} shows block {_records.Count + 1} was committed, so this is not a torn append";
                }

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
                _file.SetLength(offset);
                _file.FlushToDisk();
                break;
            }

            _records.Add((offset, total));
            offset += total;
        }

        if (_records.Count < committedBlocks)
        {
            throw new LogCorruptionException(Path, offset, _records.Count, $"the log ends at byte {offset} after block {_records.Count}, but a snapshot at height {committedBlocks} shows blocks up to {committedBlocks} were committed");
        }

        _end = offset;
    }

    /// <summary>
    /// Whether the bytes from <paramref name="offset"/> (a record start) to the end read as an append whose
    /// last pages never reached the disk: they end in zeros that start at the record itself or at a 4 KiB
    /// page boundary. A committed record ends in its checksum, so it never reads that way.
    /// </summary>
    private bool UnwrittenTail(long offset, long fileLength)
    {
        long zerosFrom = offset;
        Span<byte> chunk = stackalloc byte[4096];
        for (long end = fileLength; end > offset;)
        {
            int n = (int)System.Math.Min(chunk.Length, end - offset);
            Span<byte> part = chunk[..n];
            _file.Read(part, end - n);
            int last = part.LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                zerosFrom = end - n + last + 1;
                break;
            }

            end -= n;
        }

        long boundary = (zerosFrom + Page - 1) / Page * Page;
        return zerosFrom < fileLength && (zerosFrom == offset || boundary < fileLength);
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
        _file.Read(record, offset);
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
        byte[] window = new byte[(int)System.Math.Min(1 << 20, fileLength - damage)];
        for (long start = damage + 1; start + MinRecord <= fileLength; start += window.Length - HeaderProbe)
        {
            int n = _file.Read(window, start);
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
                _file.Read(record, at);
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

        // Framed in a buffer kept across appends: the hot path allocates nothing once the buffer fits.
        int size = RecordFraming.Overhead + BlockCodec.EncodedLength(block);
        if (_scratch.Length < size)
        {
            _scratch = new byte[System.Math.Max(size, _scratch.Length * 2)];
        }

        Span<byte> record = _scratch.AsSpan(0, size);
        BlockCodec.Encode(block, record[4..^8]);
        RecordFraming.Seal(record);
        long offset = _end;
        _file.Write(record, offset);
        _file.FlushToDisk();
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
        _file.Read(record, rec.offset);
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
                _file.Read(count, offset + 4 + BlockCodec.HeaderLength - 4);
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
    public void Dispose() => _file.Dispose();
}
