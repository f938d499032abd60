namespace Solvent.Storage;

/// <summary>
/// The file operations durable storage needs, so that tests can run the same code over a simulated disk
/// that loses unsynced data. <see cref="OsFileSystem"/> is the real one. Paths are ordinary file paths.
/// Nothing here is durable until said so: file data needs <see cref="IStorageFile.FlushToDisk"/>, and a
/// created, renamed or deleted name needs <see cref="SyncDirectory"/> of its directory.
/// </summary>
public interface IFileSystem
{
    /// <summary>Opens <paramref name="path"/>; throws <see cref="FileNotFoundException"/> when <see cref="StorageOpen.Read"/> finds no file.</summary>
    IStorageFile Open(string path, StorageOpen mode);

    /// <summary>Whether a file exists at <paramref name="path"/>.</summary>
    bool FileExists(string path);

    /// <summary>Whether a directory exists at <paramref name="path"/>.</summary>
    bool DirectoryExists(string path);

    /// <summary>Creates one directory whose parent exists (not durable until the parent is synced).</summary>
    void CreateDirectory(string path);

    /// <summary>Makes the names in <paramref name="directory"/> durable (fsync of the directory).</summary>
    void SyncDirectory(string directory);

    /// <summary>Renames a file, replacing <paramref name="destination"/> when <paramref name="overwrite"/> (atomic on one file system).</summary>
    void Move(string source, string destination, bool overwrite);

    /// <summary>Deletes a file; nothing happens when there is none.</summary>
    void Delete(string path);

    /// <summary>Full paths of the files in <paramref name="directory"/> whose names match <paramref name="pattern"/> (<c>*</c> wildcards), unsorted.</summary>
    string[] ListFiles(string directory, string pattern);
}
