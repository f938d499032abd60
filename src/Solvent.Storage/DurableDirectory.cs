using System.Runtime.InteropServices;

namespace Solvent.Storage;

/// <summary>
/// fsync of a directory, so that a file created or renamed in it survives power loss (on Linux the new
/// name lives in the directory's own blocks, which fsync of the file does not write). .NET cannot open
/// a directory as a file, hence libc. A no-op where the platform has no such call.
/// </summary>
public static partial class DurableDirectory
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    /// <summary>Makes the entries of <paramref name="directory"/> durable. Throws <see cref="IOException"/> when the sync fails.</summary>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(Path.GetFullPath(directory), ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
