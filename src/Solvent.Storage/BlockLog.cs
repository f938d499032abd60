using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Solvent.Storage;

/// <summary>
/// The append-only block log (one file, <c>blocks.log</c>): one framed record per block, one fsync per
/// append (group commit: a block holds every action acknowledged with it). Opening scans every record;
/// a torn or corrupt tail — what a crash mid-append leaves — is truncated and reported through the log
/// callback. Appends come from one writer; reads of committed blocks are safe from any thread.
/// </summary>
public sealed class BlockLog : IDisposable
{
    /// <summary>File name of the log inside its data directory.</summary>
    public const string FileName = "blocks.log";

    private readonly SafeFileHandle _handle;
    private readonly List<(long Offset, int Length)> _records = [];
    private readonly Lock _gate = new();
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
    /// truncates an invalid tail. Throws <see cref="InvalidDataException"/> when a checksummed record does
    /// not hold the next block in sequence (a different chain or a bug, never a crash artefact).
    /// <paramref name="readOnly"/> opens an existing log for inspection: an invalid tail is reported and
    /// ignored, never truncated, and appends are refused.
    /// </summary>
    public static BlockLog Open(string directory, Action<string>? log = null, bool readOnly = false)
    {
        string path = System.IO.Path.Combine(directory, FileName);
        if (!readOnly)
        {
            Directory.CreateDirectory(directory);
        }

        SafeFileHandle handle = readOnly
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)
            : File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
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
                        problem = "checksum mismatch";
                    }
                    else if (!BlockCodec.TryDecode(payload, out StoredBlock? block))
                    {
                        throw new InvalidDataException($"{Path}: record at byte {offset} has a valid checksum but is not a block this version can read");
                    }
                    else if (block!.Height != _records.Count + 1)
                    {
                        throw new InvalidDataException($"{Path}: record at byte {offset} holds block {block.Height}, expected {_records.Count + 1}");
                    }
                }
            }

            if (problem is not null)
            {
                if (ReadOnly)
                {
                    log?.Invoke($"block log {Path}: invalid tail at byte {offset} after block {_records.Count} ({problem}); ignoring {remaining} bytes (read-only)");
                    break;
                }

                log?.Invoke($"block log {Path}: invalid tail at byte {offset} after block {_records.Count} ({problem}); truncating {remaining} bytes");
                RandomAccess.SetLength(_handle, offset);
                RandomAccess.FlushToDisk(_handle);
                break;
            }

            _records.Add((offset, total));
            offset += total;
        }

        _end = offset;
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
