namespace Solvent.Storage;

/// <summary>How <see cref="IFileSystem.Open"/> opens a file.</summary>
public enum StorageOpen
{
    /// <summary>An existing file, for reading only (others may keep writing it).</summary>
    Read,

    /// <summary>Read and write, creating an empty file when there is none.</summary>
    OpenOrCreate,

    /// <summary>Write a new file, emptying one that exists.</summary>
    Create,
}
