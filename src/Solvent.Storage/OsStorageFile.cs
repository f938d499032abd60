using Microsoft.Win32.SafeHandles;

namespace Solvent.Storage;

/// <summary>An <see cref="IStorageFile"/> over an operating-system file handle (<see cref="RandomAccess"/>, no buffering of its own).</summary>
internal sealed class OsStorageFile(SafeFileHandle handle) : IStorageFile
{
    public long Length => RandomAccess.GetLength(handle);

    public int Read(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(handle, data, offset);

    public void FlushToDisk() => RandomAccess.FlushToDisk(handle);

    public void SetLength(long length) => RandomAccess.SetLength(handle, length);

    public void Dispose() => handle.Dispose();
}
