using System.Security.Cryptography;
using CsCheck;

namespace Solvent.Storage.Tests.Faults;

public class PowerLossTests
{
    private const string Dir = "/srv/solvent/data";
    private static readonly string LogPath = Path.Combine(Dir, BlockLog.FileName);

    /// <summary>Opens the way a node starts: newest intact snapshot first, then the log, which must reach it.</summary>
    private static (BlockLog Log, Snapshot? Snap) Recover(SimulatedDisk disk, List<string>? messages = null)
    {
        Snapshot? snap = new SnapshotStore(Dir, null, disk).LoadLatest();
        return (BlockLog.Open(Dir, messages is null ? null : messages.Add, fileSystem: disk, committedBlocks: snap?.Height ?? 0), snap);
    }

    /// <summary>A disk holding <paramref name="synced"/> acknowledged blocks, then power lost mid-append of the next one after its write and before its fsync.</summary>
    private static (SimulatedDisk Disk, long LastStart, int LastLength) CrashMidAppend(int synced, int lastActions)
    {
        var disk = new SimulatedDisk();
        using BlockLog log = BlockLog.Open(Dir, fileSystem: disk);
        for (int h = 1; h <= synced; h++)
        {
            log.Append(Blocks.Make(h));
        }

        long start = log.Length;
        disk.CrashAfter(1); // the write runs, the fsync does not
        Assert.Throws<SimulatedCrashException>(() => log.Append(Blocks.Make(synced + 1, lastActions)));
        return (disk, start, (int)(disk.ReadAllBytes(LogPath).Length - start));
    }

    [Theory]
    [InlineData(LossMode.TearAtByte, 3)]
    [InlineData(LossMode.ZeroFill, 500)]
    public void Power_loss_at_every_byte_of_the_last_record_keeps_exactly_the_acknowledged_blocks(LossMode mode, int lastActions)
    {
        int length = CrashMidAppend(3, lastActions).LastLength;
        Assert.True(mode != LossMode.ZeroFill || length > 3 * SimulatedDisk.Page, "the zero-filled record spans pages");
        for (int kept = 0; kept <= length; kept++)
        {
            (SimulatedDisk disk, long start, _) = CrashMidAppend(3, lastActions);
            disk.PowerLoss(mode, _ => kept);
            var messages = new List<string>();
            (BlockLog log, _) = Recover(disk, messages);
            using (log)
            {
                // Nothing acknowledged is lost; the unacknowledged block survives only whole.
                bool whole = kept == length;
                Assert.Equal(whole ? 4 : 3, log.Count);
                for (int h = 1; h <= 3; h++)
                {
                    Blocks.AssertSame(Blocks.Make(h), log.Read(h));
                }

                Assert.Equal(whole ? start + length : start, disk.ReadAllBytes(LogPath).Length);
                Assert.Equal(disk.ReadAllBytes(LogPath).Length, log.Length);
                bool tail = !whole && (mode == LossMode.ZeroFill || kept > 0);
                Assert.Equal(tail ? 1 : 0, messages.Count(m => m.Contains("torn tail", StringComparison.Ordinal)));

                // The log takes the next block where the torn one was.
                log.Append(Blocks.Make(whole ? 5 : 4));
            }
        }
    }

    [Fact]
    public void Power_loss_at_random_points_never_loses_an_acknowledged_block_or_snapshot()
    {
        // Each step: 0 = append (action count from the value), 1 = snapshot at the current height,
        // 2 = close and reopen, 3 = arm a crash that many operations ahead, then power loss.
        Gen<(int Kind, int Value)> step = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 400]);
        Gen.Select(step.Array[1, 40], Gen.Enum<LossMode>(), Gen.Int[0, int.MaxValue])
            .Sample((steps, mode, seed) => RunLife(steps, mode, seed), iter: 300);
    }

    private static void RunLife((int Kind, int Value)[] steps, LossMode mode, int seed)
    {
        var rng = new Random(seed);
        var disk = new SimulatedDisk();
        var written = new Dictionary<long, StoredBlock>();
        var snapshots = new Dictionary<long, List<Snapshot>>();
        long acked = 0, ackedSnapshot = 0, life = 0;
        BlockLog log = BlockLog.Open(Dir, fileSystem: disk);
        var store = new SnapshotStore(Dir, null, disk);
        bool armed = false;

        void PowerLossAndCheck()
        {
            log.Dispose();
            disk.PowerLoss(mode, n => rng.Next(n + 1));
            if (rng.Next(3) == 0)
            {
                // Power fails again while recovery cuts the torn tail: the next recovery must still hold.
                disk.CrashAfter(rng.Next(2));
                try
                {
                    Recover(disk).Log.Dispose();
                }
                catch (SimulatedCrashException)
                {
                }

                disk.PowerLoss(mode, n => rng.Next(n + 1));
            }

            life++;
            (log, Snapshot? snap) = Recover(disk);
            Assert.True(log.Count >= acked, $"{acked} blocks acknowledged, {log.Count} recovered");
            Assert.True(log.Count <= acked + 1, "at most the one unacknowledged append survives");
            for (long h = 1; h <= log.Count; h++)
            {
                Blocks.AssertSame(written[h], log.Read(h));
            }

            Assert.True((snap?.Height ?? 0) >= ackedSnapshot, $"snapshot {ackedSnapshot} was acknowledged, newest intact is {snap?.Height}");
            if (snap is not null)
            {
                Assert.True(snap.Height <= log.Count, "a snapshot is never ahead of the log");
                Assert.Contains(snapshots[snap.Height], w => w.State.AsSpan().SequenceEqual(snap.State) && w.StateRoot.AsSpan().SequenceEqual(snap.StateRoot));
            }

            acked = log.Count;
            store.CleanTemporaryFiles();
            Assert.DoesNotContain(disk.Files(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
            armed = false;
        }

        foreach ((int kind, int value) in steps)
        {
            try
            {
                switch (kind)
                {
                    case 0:
                        StoredBlock b = Blocks.Make(log.Count + 1, value % 7 == 0 ? value : value % 5, salt: life);
                        written[b.Height] = b;
                        log.Append(b);
                        acked = b.Height;
                        break;
                    case 1 when log.Count > 0:
                        var s = new Snapshot(log.Count, life, written[log.Count].StateRoot, Blocks.Root(-log.Count), log.Length, [.. BitConverter.GetBytes(life), (byte)value]);
                        snapshots.TryAdd(s.Height, []);
                        snapshots[s.Height].Add(s);
                        store.Write(s);
                        ackedSnapshot = s.Height;
                        break;
                    case 2:
                        log.Dispose();
                        (log, _) = Recover(disk);
                        Assert.Equal(acked, log.Count);
                        break;
                    case 3 when !armed:
                        disk.CrashAfter(value % 6);
                        armed = true;
                        break;
                    case 3:
                        PowerLossAndCheck();
                        break;
                }
            }
            catch (SimulatedCrashException)
            {
                PowerLossAndCheck();
            }
        }

        PowerLossAndCheck();
        log.Dispose();
    }

    [Fact]
    public void A_flipped_byte_in_a_complete_record_refuses_to_open_names_the_offset_and_changes_nothing()
    {
        Gen.Select(Gen.Int[1, 12], Gen.Int[0, int.MaxValue], Gen.Int[1, 255], Gen.Bool)
            .Sample((blocks, at, xor, readOnly) =>
            {
                var disk = new SimulatedDisk();
                long[] starts = new long[blocks];
                using (BlockLog log = BlockLog.Open(Dir, fileSystem: disk))
                {
                    for (int h = 1; h <= blocks; h++)
                    {
                        starts[h - 1] = log.Length;
                        log.Append(Blocks.Make(h, h % 4 * 40));
                    }
                }

                byte[] bad = disk.ReadAllBytes(LogPath);
                int i = at % bad.Length;
                bad[i] ^= (byte)xor;
                disk.Overwrite(LogPath, bad);
                byte[] hash = SHA256.HashData(bad);
                var messages = new List<string>();
                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => BlockLog.Open(Dir, messages.Add, readOnly, disk));
                int record = Array.FindLastIndex(starts, st => st <= i);
                Assert.Equal(starts[record], e.Offset);
                Assert.Equal(record, e.IntactBlocks);
                Assert.Contains($"byte {starts[record]}", e.Message, StringComparison.Ordinal);
                Assert.Empty(messages);
                Assert.Equal(hash, SHA256.HashData(disk.ReadAllBytes(LogPath)));
            }, iter: 400);
    }

    [Fact]
    public void A_zero_filled_tail_is_torn_only_when_no_intact_record_follows()
    {
        Gen.Select(Gen.Int[2, 8], Gen.Int[1, 3 * SimulatedDisk.Page])
            .Sample((blocks, zeros) =>
            {
                var disk = new SimulatedDisk();
                long[] starts = new long[blocks + 1];
                using (BlockLog log = BlockLog.Open(Dir, fileSystem: disk))
                {
                    for (int h = 1; h <= blocks; h++)
                    {
                        starts[h - 1] = log.Length;
                        log.Append(Blocks.Make(h));
                    }

                    starts[blocks] = log.Length;
                }

                byte[] full = disk.ReadAllBytes(LogPath);

                // Zeros after the last record (the file grew, its data never came): a torn tail.
                disk.Overwrite(LogPath, [.. full, .. new byte[zeros]]);
                (BlockLog reopened, _) = Recover(disk);
                using (reopened)
                {
                    Assert.Equal(blocks, reopened.Count);
                }

                Assert.Equal(full, disk.ReadAllBytes(LogPath));

                // The same zeros over a record with an intact record after it: damage, refused untouched.
                int record = zeros % (blocks - 1);
                byte[] bad = (byte[])full.Clone();
                Array.Clear(bad, (int)starts[record], (int)(starts[record + 1] - starts[record]));
                disk.Overwrite(LogPath, bad);
                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => Recover(disk));
                Assert.Equal(starts[record], e.Offset);
                Assert.Equal(bad, disk.ReadAllBytes(LogPath));
            }, iter: 100);
    }

    [Fact]
    public void An_incomplete_record_at_or_below_a_snapshot_is_refused_not_cut_and_repair_keeps_the_prefix()
    {
        var disk = new SimulatedDisk();
        long lastStart = 0;
        using (BlockLog log = BlockLog.Open(Dir, fileSystem: disk))
        {
            for (int h = 1; h <= 5; h++)
            {
                lastStart = log.Length;
                log.Append(Blocks.Make(h));
            }
        }

        var store = new SnapshotStore(Dir, null, disk);
        store.Write(new Snapshot(3, 3, Blocks.Root(3), Blocks.Root(-3), 0, [3]));
        store.Write(new Snapshot(5, 5, Blocks.Root(5), Blocks.Root(-5), 0, [5]));
        byte[] full = disk.ReadAllBytes(LogPath);
        for (long cut = lastStart; cut < full.Length; cut += 7)
        {
            byte[] torn = full[..(int)cut];
            disk.Overwrite(LogPath, torn);
            foreach (bool readOnly in new[] { false, true })
            {
                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() =>
                    BlockLog.Open(Dir, null, readOnly, disk, committedBlocks: store.LoadLatest()!.Height));
                Assert.Equal(lastStart, e.Offset);
                Assert.Equal(4, e.IntactBlocks);
                Assert.Contains("snapshot at height 5", e.Message, StringComparison.Ordinal);
                Assert.Equal(torn, disk.ReadAllBytes(LogPath));
            }

            Assert.Equal(lastStart, LogRepair.Inspect(Dir, disk)!.Offset);
        }

        LogRepair.Result r = LogRepair.Run(Dir, disk)!;
        Assert.Equal(4, r.KeptBlocks);
        Assert.Equal(["snapshot-000000000005.snap"], r.MovedSnapshots);
        (BlockLog repaired, Snapshot? snap) = Recover(disk);
        using (repaired)
        {
            Assert.Equal(4, repaired.Count);
            Assert.Equal(3, snap!.Height);
        }
    }

    [Fact]
    public void Created_and_replaced_files_survive_power_loss_the_moment_the_call_returns()
    {
        // The data directory, its parents, the log and a replaced file (the genesis copy's pattern) each
        // need a directory fsync; power loss right after the call must find them all.
        var disk = new SimulatedDisk();
        using (BlockLog log = BlockLog.Open(Dir, fileSystem: disk))
        {
            log.Append(Blocks.Make(1));
        }

        string genesis = Path.Combine(Dir, "genesis.json");
        DurableFile.Replace(disk, genesis, [1, 2, 3]);
        disk.PowerLoss(LossMode.DropUnsynced);
        Assert.Equal([1, 2, 3], disk.ReadAllBytes(genesis));
        (BlockLog again, _) = Recover(disk);
        using (again)
        {
            Assert.Equal(1, again.Count);
        }

        // A replacement interrupted at any operation leaves the old content or the new, never a mix or nothing.
        for (int crashAt = 0; crashAt < 8; crashAt++)
        {
            disk.CrashAfter(crashAt);
            try
            {
                DurableFile.Replace(disk, genesis, [4, 5, 6, 7]);
            }
            catch (SimulatedCrashException)
            {
            }

            disk.PowerLoss(LossMode.TearAtByte, n => n / 2);
            byte[] now = disk.ReadAllBytes(genesis);
            Assert.True(now.SequenceEqual(new byte[] { 1, 2, 3 }) || now.SequenceEqual(new byte[] { 4, 5, 6, 7 }), $"crash at {crashAt}: {Convert.ToHexString(now)}");
            DurableFile.Replace(disk, genesis, [1, 2, 3]);
        }
    }
}
