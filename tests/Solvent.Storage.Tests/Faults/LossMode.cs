namespace Solvent.Storage.Tests.Faults;

/// <summary>What power loss does to data written since a file's last fsync.</summary>
public enum LossMode
{
    /// <summary>All of it is gone: the file is what was last synced.</summary>
    DropUnsynced,

    /// <summary>A prefix of it reached the disk, cut at any byte (the file ends there).</summary>
    TearAtByte,

    /// <summary>
    /// The file keeps its new length, but only whole 4 KiB pages of the unsynced data reached the disk;
    /// the rest reads as zeros (a file system that extended the file before writing its data).
    /// </summary>
    ZeroFill,
}
