namespace Solvent.Storage;

/// <summary>An open file with positional reads and writes (no shared cursor, so reads may run beside the writer).</summary>
public interface IStorageFile : IDisposable
{
    /// <summary>Current length in bytes (including data not yet flushed to disk).</summary>
    long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns fewer only at the end of the file.</summary>
    int Read(Span<byte> buffer, long offset);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> (not durable until <see cref="FlushToDisk"/>).</summary>
    void Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>Makes every write and length change so far durable (fsync).</summary>
    void FlushToDisk();

    /// <summary>Cuts or extends the file to <paramref name="length"/> bytes.</summary>
    void SetLength(long length);
}
