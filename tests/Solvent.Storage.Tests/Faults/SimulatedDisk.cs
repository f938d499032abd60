using System.Text.RegularExpressions;

namespace Solvent.Storage.Tests.Faults;

/// <summary>
/// An in-memory <see cref="IFileSystem"/> that remembers what would survive power loss: per file the bytes
/// last fsynced beside the bytes written since, and per directory the names last made durable by a
/// directory fsync. <see cref="PowerLoss"/> throws away what was not synced (all of it, a prefix torn at
/// any byte, or with the file's length kept and unwritten pages read as zeros) and forgets unsynced names.
/// <see cref="CrashAfter"/> arms a crash: the n-th mutating operation from then on throws
/// <see cref="SimulatedCrashException"/> instead of running, as does every operation after it.
/// </summary>
public sealed class SimulatedDisk : IFileSystem
{
    public const int Page = 4096;

    private readonly Lock _gate = new();
    private Dictionary<string, Inode> _files = new(StringComparer.Ordinal);
    private Dictionary<string, Inode> _durableFiles = new(StringComparer.Ordinal);
    private HashSet<string> _dirs = new(StringComparer.Ordinal) { "/" };
    private HashSet<string> _durableDirs = new(StringComparer.Ordinal) { "/" };
    private long _crashIn = -1;
    private bool _crashed;

    /// <summary>Mutating operations run so far (writes, fsyncs, truncations, creates, renames, deletes).</summary>
    public long Operations { get; private set; }

    /// <summary>Whether an armed crash has fired and power has not been lost yet.</summary>
    public bool Crashed
    {
        get
        {
            lock (_gate)
            {
                return _crashed;
            }
        }
    }

    /// <summary>Arms a crash at the <paramref name="operations"/>-th mutating operation from now (0 = the next one).</summary>
    public void CrashAfter(long operations)
    {
        lock (_gate)
        {
            _crashIn = operations;
        }
    }

    /// <summary>
    /// Power loss: unsynced names disappear (also files in directories that were never made durable), and
    /// each file's unsynced bytes go as <paramref name="mode"/> says; <paramref name="keep"/> picks, from the
    /// unsynced byte count, how many of them reached the disk (ignored for <see cref="LossMode.DropUnsynced"/>).
    /// Open handles become stale; the disarmed disk runs again.
    /// </summary>
    public void PowerLoss(LossMode mode, Func<int, int>? keep = null)
    {
        lock (_gate)
        {
            _dirs = [.. _durableDirs.Where(DurablePath)];
            _files = _durableFiles.Where(f => _dirs.Contains(Parent(f.Key))).ToDictionary(StringComparer.Ordinal);
            _durableFiles = new Dictionary<string, Inode>(_files, StringComparer.Ordinal);
            foreach (Inode inode in _files.Values.Distinct())
            {
                inode.Lose(mode, keep ?? (n => n));
            }

            _crashIn = -1;
            _crashed = false;
        }
    }

    /// <summary>Bytes of a file as the process sees them now.</summary>
    public byte[] ReadAllBytes(string path)
    {
        lock (_gate)
        {
            return _files.TryGetValue(Full(path), out Inode? f) ? f.Current.AsSpan(0, f.Length).ToArray() : throw new FileNotFoundException(path);
        }
    }

    /// <summary>Replaces a file's bytes, durably (damage done behind the storage code's back).</summary>
    public void Overwrite(string path, byte[] data)
    {
        lock (_gate)
        {
            Inode f = _files[Full(path)];
            f.Current = (byte[])data.Clone();
            f.Length = data.Length;
            f.Durable = (byte[])data.Clone();
        }
    }

    /// <summary>Names of the files that exist now, sorted.</summary>
    public string[] Files()
    {
        lock (_gate)
        {
            return [.. _files.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public IStorageFile Open(string path, StorageOpen mode)
    {
        lock (_gate)
        {
            string full = Full(path);
            RequireDirectory(Parent(full));
            if (_files.TryGetValue(full, out Inode? f))
            {
                if (mode == StorageOpen.Create)
                {
                    Mutate("truncate " + full);
                    f.Length = 0;
                }

                return new Handle(this, f, mode == StorageOpen.Read);
            }

            if (mode == StorageOpen.Read)
            {
                throw new FileNotFoundException($"no file {full}", full);
            }

            Mutate("create " + full);
            f = new Inode();
            _files[full] = f;
            return new Handle(this, f, false);
        }
    }

    public bool FileExists(string path)
    {
        lock (_gate)
        {
            return _files.ContainsKey(Full(path));
        }
    }

    public bool DirectoryExists(string path)
    {
        lock (_gate)
        {
            return _dirs.Contains(Full(path));
        }
    }

    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            string full = Full(path);
            RequireDirectory(Parent(full));
            Mutate("mkdir " + full);
            _dirs.Add(full);
        }
    }

    public void SyncDirectory(string directory)
    {
        lock (_gate)
        {
            string dir = Full(directory);
            RequireDirectory(dir);
            Mutate("fsync dir " + dir);
            foreach (string name in _durableFiles.Keys.Where(k => Parent(k) == dir).ToList())
            {
                _durableFiles.Remove(name);
            }

            foreach ((string name, Inode f) in _files.Where(k => Parent(k.Key) == dir))
            {
                _durableFiles[name] = f;
            }

            _durableDirs.RemoveWhere(d => d != "/" && Parent(d) == dir);
            _durableDirs.UnionWith(_dirs.Where(d => d != "/" && Parent(d) == dir));
        }
    }

    public void Move(string source, string destination, bool overwrite)
    {
        lock (_gate)
        {
            string from = Full(source), to = Full(destination);
            if (!_files.TryGetValue(from, out Inode? f))
            {
                throw new FileNotFoundException($"no file {from}", from);
            }

            RequireDirectory(Parent(to));
            if (!overwrite && _files.ContainsKey(to))
            {
                throw new IOException($"{to} exists");
            }

            Mutate($"rename {from} {to}");
            _files.Remove(from);
            _files[to] = f;
        }
    }

    public void Delete(string path)
    {
        lock (_gate)
        {
            string full = Full(path);
            if (_files.ContainsKey(full))
            {
                Mutate("delete " + full);
                _files.Remove(full);
            }
        }
    }

    public string[] ListFiles(string directory, string pattern)
    {
        lock (_gate)
        {
            string dir = Full(directory);
            var match = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$");
            return [.. _files.Keys.Where(k => Parent(k) == dir && match.IsMatch(Path.GetFileName(k)))];
        }
    }

    private static string Full(string path) => Path.GetFullPath(path).TrimEnd('/') is { Length: > 0 } p ? p : "/";

    private static string Parent(string full) => Path.GetDirectoryName(full) ?? "/";

    private bool DurablePath(string dir) => dir == "/" || (_durableDirs.Contains(dir) && DurablePath(Parent(dir)));

    private void RequireDirectory(string dir)
    {
        if (!_dirs.Contains(dir))
        {
            throw new DirectoryNotFoundException($"no directory {dir}");
        }
    }

    /// <summary>Counts a mutating operation, or fires the armed crash instead of it.</summary>
    private void Mutate(string operation)
    {
        if (_crashed || _crashIn == 0)
        {
            _crashed = true;
            _crashIn = -1;
            throw new SimulatedCrashException(operation);
        }

        if (_crashIn > 0)
        {
            _crashIn--;
        }

        Operations++;
    }

    private sealed class Inode
    {
        public byte[] Current = [];
        public int Length;
        public byte[] Durable = [];

        public void Sync() => Durable = Current.AsSpan(0, Length).ToArray();

        public void Lose(LossMode mode, Func<int, int> keep)
        {
            int d = Durable.Length;
            bool appendedOnly = Length > d && Current.AsSpan(0, d).SequenceEqual(Durable);
            int unsynced = appendedOnly ? Length - d : 0;
            int kept = mode == LossMode.DropUnsynced || unsynced == 0 ? 0 : Math.Clamp(keep(unsynced), 0, unsynced);
            byte[] after = mode switch
            {
                LossMode.TearAtByte => Current.AsSpan(0, d + kept).ToArray(),
                LossMode.ZeroFill when unsynced > 0 => ZeroFilled(d, kept),
                _ => (byte[])Durable.Clone(),
            };
            Current = after;
            Length = after.Length;
            Durable = (byte[])after.Clone();
        }

        private byte[] ZeroFilled(int durable, int kept)
        {
            // Pages reach the disk whole or not at all; the first page is partly durable already.
            int keptEnd = Math.Max(durable, (durable + kept) / Page * Page);
            if (kept == Length - durable)
            {
                keptEnd = Length;
            }

            byte[] after = new byte[Length];
            Current.AsSpan(0, keptEnd).CopyTo(after);
            return after;
        }

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            int end = checked((int)offset + data.Length);
            EnsureCapacity(end);
            if (offset > Length)
            {
                Current.AsSpan(Length, (int)offset - Length).Clear();
            }

            data.CopyTo(Current.AsSpan((int)offset));
            Length = Math.Max(Length, end);
        }

        public void SetLength(long length)
        {
            EnsureCapacity((int)length);
            if (length > Length)
            {
                Current.AsSpan(Length, (int)length - Length).Clear();
            }

            Length = (int)length;
        }

        private void EnsureCapacity(int n)
        {
            if (Current.Length < n)
            {
                Array.Resize(ref Current, Math.Max(n, Current.Length * 2));
            }
        }
    }

    private sealed class Handle(SimulatedDisk disk, Inode inode, bool readOnly) : IStorageFile
    {
        public long Length
        {
            get
            {
                lock (disk._gate)
                {
                    return inode.Length;
                }
            }
        }

        public int Read(Span<byte> buffer, long offset)
        {
            lock (disk._gate)
            {
                int n = (int)Math.Clamp(inode.Length - offset, 0, buffer.Length);
                if (n == 0)
                {
                    return 0;
                }

                inode.Current.AsSpan((int)offset, n).CopyTo(buffer);
                return n;
            }
        }

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            lock (disk._gate)
            {
                RequireWritable();
                disk.Mutate($"write {data.Length} bytes at {offset}");
                inode.Write(data, offset);
            }
        }

        public void FlushToDisk()
        {
            lock (disk._gate)
            {
                disk.Mutate("fsync");
                inode.Sync();
            }
        }

        public void SetLength(long length)
        {
            lock (disk._gate)
            {
                RequireWritable();
                disk.Mutate($"truncate to {length}");
                inode.SetLength(length);
            }
        }

        public void Dispose()
        {
        }

        private void RequireWritable()
        {
            if (readOnly)
            {
                throw new UnauthorizedAccessException("opened read-only");
            }
        }
    }
}
