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
    public void Flipped_byte_anywhere_in_the_last_record_is_detected_and_truncated()
    {
        using var dir = new TempDir();
        long lastStart = WriteBlocks(dir.Path, 3);
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        for (long i = lastStart; i < full.Length; i++)
        {
            byte[] bad = (byte[])full.Clone();
            bad[i] ^= 0x20;
            File.WriteAllBytes(path, bad);
            var messages = new List<string>();
            using BlockLog log = BlockLog.Open(dir.Path, messages.Add);
            Assert.Equal(2, log.Count);
            Assert.Single(messages);
        }
    }

    [Fact]
    public void Corrupt_checksum_of_the_last_record_is_reported()
    {
        using var dir = new TempDir();
        WriteBlocks(dir.Path, 2);
        string path = Path.Combine(dir.Path, BlockLog.FileName);
        byte[] full = File.ReadAllBytes(path);
        full[^1] ^= 0xFF;
        File.WriteAllBytes(path, full);
        var messages = new List<string>();
        using BlockLog log = BlockLog.Open(dir.Path, messages.Add);
        Assert.Equal(1, log.Count);
        Assert.Contains("checksum", messages.Single());
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
        Assert.Throws<InvalidDataException>(() => BlockLog.Open(dir.Path));
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
