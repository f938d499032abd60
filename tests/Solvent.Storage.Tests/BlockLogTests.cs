using CsCheck;

namespace Solvent.Storage.Tests;

public class BlockLogTests
{
    private static long WriteBlocks(string dir, int count)
    {
        using BlockLog log = BlockLog.Open(dir);
        long lastStart = 0;
        for (int h = 1; h <= count; h++)
        {
            lastStart = log.Length;
            log.Append(Blocks.Make(h));
        }

        return lastStart;
    }

    [Fact]
    public void Appended_blocks_read_back_identically_after_reopen()
    {
        using var dir = new TempDir();
        WriteBlocks(dir.Path, 5);
        using BlockLog log = BlockLog.Open(dir.Path);
        Assert.Equal(5, log.Count);
        for (int h = 1; h <= 5; h++)
        {
            Blocks.AssertSame(Blocks.Make(h), log.Read(h));
        }

        Assert.Null(log.Read(0));
        Assert.Null(log.Read(6));
    }

    [Fact]
    public void Torn_tail_at_every_byte_offset_of_the_last_record_is_truncated_to_the_previous_block()
    {
        using var dir = new TempDir();
        long lastStart = WriteBlocks(dir.Path, 3);
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        for (long cut = lastStart; cut < full.Length; cut++)
        {
            File.WriteAllBytes(path, full.AsSpan(0, (int)cut).ToArray());
            var messages = new List<string>();
            using (BlockLog log = BlockLog.Open(dir.Path, messages.Add))
            {
                Assert.Equal(2, log.Count);
                Assert.Equal(lastStart, log.Length);
                Blocks.AssertSame(Blocks.Make(2), log.Read(2));
            }

            Assert.Equal(lastStart, new FileInfo(path).Length);
            Assert.Equal(cut == lastStart ? 0 : 1, messages.Count);
        }

        // After a truncation the log takes the next block where the torn one was.
        using (BlockLog log = BlockLog.Open(dir.Path))
        {
            log.Append(Blocks.Make(3));
        }

        Assert.Equal(full, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_flipped_byte_anywhere_in_any_record_refuses_to_open_and_changes_nothing()
    {
        using var dir = new TempDir();
        WriteBlocks(dir.Path, 5);
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        long[] starts = RecordStarts(full);
        for (int i = 0; i < full.Length; i++)
        {
            foreach (bool readOnly in new[] { false, true })
            {
                byte[] bad = (byte[])full.Clone();
                bad[i] ^= (byte)(1 << (i % 8));
                File.WriteAllBytes(path, bad);
                var messages = new List<string>();
                LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => BlockLog.Open(dir.Path, messages.Add, readOnly));
                int record = Array.FindLastIndex(starts, st => st <= i);
                Assert.Equal(starts[record], e.Offset);
                Assert.Equal(record, e.IntactBlocks);
                Assert.Contains($"byte {starts[record]}", e.Message);
                Assert.Empty(messages);
                Assert.Equal(bad, File.ReadAllBytes(path));
            }
        }
    }

    [Fact]
    public void Damage_that_looks_like_a_torn_record_is_corruption_when_intact_blocks_follow()
    {
        // A length field turned huge reads like an incomplete last append; the records after it prove otherwise.
        using var dir = new TempDir();
        WriteBlocks(dir.Path, 6);
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        long[] starts = RecordStarts(full);
        for (int r = 0; r < starts.Length; r++)
        {
            byte[] bad = (byte[])full.Clone();
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan((int)starts[r]), int.MaxValue / 2);
            File.WriteAllBytes(path, bad);
            LogCorruptionException e = Assert.Throws<LogCorruptionException>(() => BlockLog.Open(dir.Path));
            Assert.Equal(starts[r], e.Offset);
            Assert.Equal(bad, File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void A_last_record_zero_from_a_page_boundary_is_a_torn_tail_but_other_zeros_are_damage()
    {
        // Power loss after the file grew but before its last pages reached the disk reads back as zeros
        // from a 4 KiB boundary on; the same zeros starting elsewhere are not what a crash leaves.
        using var dir = new TempDir();
        long lastStart;
        using (BlockLog log = BlockLog.Open(dir.Path))
        {
            log.Append(Blocks.Make(1));
            lastStart = log.Length;
            log.Append(Blocks.Make(2, actions: 1200));
        }

        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        Assert.True(full.Length - lastStart > 3 * 4096, "the last record spans pages");
        int torn = 0, damaged = 0;
        for (long zeroFrom = lastStart + 4; zeroFrom < full.Length; zeroFrom += zeroFrom % 4096 == 0 ? 1 : 509)
        {
            byte[] bad = (byte[])full.Clone();
            Array.Clear(bad, (int)zeroFrom, bad.Length - (int)zeroFrom);
            File.WriteAllBytes(path, bad);
            bool fromBoundary = zeroFrom % 4096 == 0;
            if (fromBoundary)
            {
                var messages = new List<string>();
                using (BlockLog log = BlockLog.Open(dir.Path, messages.Add))
                {
                    Assert.Equal(1, log.Count);
                }

                Assert.Contains("torn tail", messages.Single());
                Assert.Equal(lastStart, new FileInfo(path).Length);
                torn++;
            }
            else if (bad[(int)zeroFrom - 1] != 0 && (zeroFrom + 4095) / 4096 * 4096 >= full.Length)
            {
                // Zeros that start inside the last page: no unwritten page explains them.
                Assert.Throws<LogCorruptionException>(() => BlockLog.Open(dir.Path));
                Assert.Equal(bad, File.ReadAllBytes(path));
                damaged++;
            }

            if (zeroFrom % 4096 != 0 && (zeroFrom / 4096) != ((zeroFrom + 509) / 4096))
            {
                zeroFrom = ((zeroFrom / 4096) + 1) * 4096 - 509; // visit the next boundary exactly
            }
        }

        Assert.True(torn >= 3 && damaged >= 1, $"{torn} torn, {damaged} damaged cases");
    }

    [Fact]
    public void Zeros_after_the_last_record_are_a_torn_tail_of_any_length()
    {
        // A file system may grow the file before the appended data reaches the disk: after power loss the
        // new bytes read as zeros from the end of the last durable record.
        using var dir = new TempDir();
        WriteBlocks(dir.Path, 4);
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        foreach (int zeros in new[] { 1, 11, 12, 13, 100, 4095, 4096, 10_000 })
        {
            File.WriteAllBytes(path, [.. full, .. new byte[zeros]]);
            var messages = new List<string>();
            using (BlockLog log = BlockLog.Open(dir.Path, messages.Add))
            {
                Assert.Equal(4, log.Count);
                log.Append(Blocks.Make(5));
            }

            Assert.Contains("torn tail", messages.Single(), StringComparison.Ordinal);
            using (BlockLog log = BlockLog.Open(dir.Path))
            {
                Assert.Equal(5, log.Count);
            }

            File.WriteAllBytes(path, full);
        }
    }

    [Fact]
    public void Repair_keeps_the_intact_prefix_and_moves_the_damage_and_later_snapshots_aside()
    {
        using var dir = new TempDir();
        WriteBlocks(dir.Path, 6);
        var snapshots = new SnapshotStore(dir.Path);
        snapshots.Write(new Snapshot(2, 2, Blocks.Root(2), Blocks.Root(-2), 0, [1, 2, 3]));
        snapshots.Write(new Snapshot(4, 4, Blocks.Root(4), Blocks.Root(-4), 0, [4, 5, 6]));
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        long[] starts = RecordStarts(full);
        byte[] bad = (byte[])full.Clone();
        bad[starts[3] + 40] ^= 0x01;
        File.WriteAllBytes(path, bad);

        LogRepair.Result? r = LogRepair.Run(dir.Path);
        Assert.NotNull(r);
        Assert.Equal(3, r.KeptBlocks);
        Assert.Equal(starts[3], r.DamageOffset);
        Assert.Equal(bad, File.ReadAllBytes(Path.Combine(dir.Path, r.DamagedCopy)));
        Assert.Equal(["snapshot-000000000004.snap"], r.MovedSnapshots);
        using (BlockLog log = BlockLog.Open(dir.Path))
        {
            Assert.Equal(3, log.Count);
            log.Append(Blocks.Make(4));
        }

        Assert.Equal(2, new SnapshotStore(dir.Path).LoadLatest()!.Height);
        Assert.Null(LogRepair.Run(dir.Path));
    }

    private static long[] RecordStarts(byte[] log)
    {
        var starts = new List<long>();
        for (long at = 0; at < log.Length;)
        {
            starts.Add(at);
            at += System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan((int)at)) + RecordFraming.Overhead;
        }

        return [.. starts];
    }

    [Fact]
    public void First_sequence_of_a_block_counts_every_action_before_it_also_after_reopen()
    {
        using var dir = new TempDir();
        using (BlockLog log = BlockLog.Open(dir.Path))
        {
            for (int h = 1; h <= 6; h++)
            {
                log.Append(Blocks.Make(h, actions: h % 3));
            }

            Assert.Equal(1 + 1 + 2 + 0 + 1, log.FirstSequenceOf(5));
        }

        using BlockLog again = BlockLog.Open(dir.Path);
        long[] expected = [1, 2, 4, 4, 5, 7];
        for (int h = 6; h >= 1; h--)
        {
            Assert.Equal(expected[h - 1], again.FirstSequenceOf(h));
        }

        Assert.Equal(-1, again.FirstSequenceOf(0));
        Assert.Equal(-1, again.FirstSequenceOf(7));
    }

    [Fact]
    public void Append_allocates_nothing_once_its_buffer_fits_and_costs_one_write_and_one_fsync()
    {
        var fs = new DiscardingFileSystem();
        using BlockLog log = BlockLog.Open("/discard", fileSystem: fs);
        StoredBlock[] blocks = [.. Enumerable.Range(1, 120).Select(h => Blocks.Make(h, actions: 20))];
        for (int h = 1; h <= 100; h++)
        {
            log.Append(blocks[h - 1]);
        }

        long flushes = fs.Flushes, before = GC.GetAllocatedBytesForCurrentThread();
        for (int h = 101; h <= 120; h++)
        {
            log.Append(blocks[h - 1]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(20, fs.Flushes - flushes);
        Assert.Equal(log.Length, fs.BytesWritten);
    }

    [Fact]
    public void Append_refuses_a_block_that_does_not_follow()
    {
        using var dir = new TempDir();
        using BlockLog log = BlockLog.Open(dir.Path);
        log.Append(Blocks.Make(1));
        Assert.Throws<InvalidOperationException>(() => log.Append(Blocks.Make(3)));
        Assert.Throws<InvalidOperationException>(() => log.Append(Blocks.Make(1)));
    }

    [Fact]
    public void A_checksummed_record_out_of_sequence_refuses_to_open()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        File.WriteAllBytes(path, RecordFraming.Frame(BlockCodec.Encode(Blocks.Make(2))));
        Assert.Throws<LogCorruptionException>(() => BlockLog.Open(dir.Path));
    }

    [Fact]
    public void Codec_round_trips_random_blocks()
    {
        Gen.Select(Gen.Long[1, long.MaxValue], Gen.Long, Gen.Byte.Array[0, 200].Array[0, 20])
            .Sample((h, t, actions) =>
            {
                var b = new StoredBlock(h, t, Blocks.Root(1), Blocks.Root(2), Blocks.Root(3), actions);
                Assert.True(BlockCodec.TryDecode(BlockCodec.Encode(b), out StoredBlock? back));
                Blocks.AssertSame(b, back);
            });
    }

    [Fact]
    public void Codec_rejects_every_truncation()
    {
        byte[] encoded = BlockCodec.Encode(Blocks.Make(7));
        for (int n = 0; n < encoded.Length; n++)
        {
            Assert.False(BlockCodec.TryDecode(encoded.AsSpan(0, n), out _));
        }
    }
}
