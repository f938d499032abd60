namespace Solvent.Storage;

/// <summary>The real file system; directory fsync through <see cref="DurableDirectory"/>.</summary>
public sealed class OsFileSystem : IFileSystem
{
    /// <summary>The one instance (the type holds no state).</summary>
    public static OsFileSystem Instance { get; } = new();

    private OsFileSystem()
    {
    }

    /// <inheritdoc />
    public IStorageFile Open(string path, StorageOpen mode) => new OsStorageFile(mode switch
    {
        StorageOpen.Read => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete),
        StorageOpen.OpenOrCreate => File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read),
        StorageOpen.Create => File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    });

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc />
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc />
    public void SyncDirectory(string directory) => DurableDirectory.Sync(directory);

    /// <inheritdoc />
    public void Move(string source, string destination, bool overwrite) => File.Move(source, destination, overwrite);

    /// <inheritdoc />
    public void Delete(string path) => File.Delete(path);

    /// <inheritdoc />
    public string[] ListFiles(string directory, string pattern) => Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : [];
}
