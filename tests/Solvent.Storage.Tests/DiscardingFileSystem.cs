namespace Solvent.Storage.Tests;

/// <summary>One empty directory holding files whose writes are counted and dropped: measures the log's own cost, not the disk's.</summary>
internal sealed class DiscardingFileSystem : IFileSystem
{
    public long BytesWritten { get; private set; }

    public long Flushes { get; private set; }

    public IStorageFile Open(string path, StorageOpen mode) => new File(this);

    public bool FileExists(string path) => false;

    public bool DirectoryExists(string path) => true;

    public void CreateDirectory(string path)
    {
    }

    public void SyncDirectory(string directory)
    {
    }

    public void Move(string source, string destination, bool overwrite)
    {
    }

    public void Delete(string path)
    {
    }

    public string[] ListFiles(string directory, string pattern) => [];

    private sealed class File(DiscardingFileSystem fs) : IStorageFile
    {
        public long Length => 0;

        public int Read(Span<byte> buffer, long offset) => 0;

        public void Write(ReadOnlySpan<byte> data, long offset) => fs.BytesWritten += data.Length;

        public void FlushToDisk() => fs.Flushes++;

        public void SetLength(long length)
        {
        }

        public void Dispose()
        {
        }
    }
}
