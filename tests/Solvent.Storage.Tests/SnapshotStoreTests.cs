namespace Solvent.Storage.Tests;

public class SnapshotStoreTests
{
    private static Snapshot Snap(long h) => new(h, 100 + h, Blocks.Root(h), Blocks.Root(-h), h * 10, [1, 2, (byte)h]);

    [Fact]
    public void Keeps_the_newest_two_and_loads_the_newest()
    {
        using var dir = new TempDir();
        var store = new SnapshotStore(dir.Path);
        for (long h = 10; h <= 50; h += 10)
        {
            store.Write(Snap(h));
        }

        string[] files = store.List();
        Assert.Equal([40L, 50L], files.Select(SnapshotStore.HeightOf));
        Snapshot? s = store.LoadLatest();
        Assert.NotNull(s);
        Assert.Equal(50, s.Height);
        Assert.Equal(Snap(50).StateRoot, s.StateRoot);
        Assert.Equal(Snap(50).State, s.State);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_damaged_newest_snapshot_falls_back_to_the_previous_one()
    {
        using var dir = new TempDir();
        var messages = new List<string>();
        var store = new SnapshotStore(dir.Path, messages.Add);
        store.Write(Snap(10));
        string newest = store.Write(Snap(20));
        byte[] b = File.ReadAllBytes(newest);
        b[20] ^= 1;
        File.WriteAllBytes(newest, b);
        Assert.Equal(10, store.LoadLatest()!.Height);
        Assert.Single(messages);
    }

    [Fact]
    public void Empty_directory_has_no_snapshot()
    {
        using var dir = new TempDir();
        Assert.Null(new SnapshotStore(Path.Combine(dir.Path, "none")).LoadLatest());
    }
}
