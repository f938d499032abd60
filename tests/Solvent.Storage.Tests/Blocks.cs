using System.Text;

namespace Solvent.Storage.Tests;

internal static class Blocks
{
    public static byte[] Root(long seed)
    {
        byte[] r = new byte[32];
        new Random((int)seed).NextBytes(r);
        return r;
    }

    /// <summary>Block <paramref name="height"/>; a different <paramref name="salt"/> gives different bytes at the same height.</summary>
    public static StoredBlock Make(long height, int actions = 3, long salt = 0) =>
        new(height, 1_735_689_600 + height + salt, Root(height - 1), Root(height), Root(-height),
            Enumerable.Range(0, actions).Select(i => Encoding.UTF8.GetBytes($"{{\"n\":{height},\"i\":{i},\"s\":{salt}}}")).ToArray());

    public static void AssertSame(StoredBlock expected, StoredBlock? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.ParentRoot, actual.ParentRoot);
        Assert.Equal(expected.StateRoot, actual.StateRoot);
        Assert.Equal(expected.AccountsRoot, actual.AccountsRoot);
        Assert.Equal(expected.Actions.Count, actual.Actions.Count);
        for (int i = 0; i < expected.Actions.Count; i++)
        {
            Assert.Equal(expected.Actions[i], actual.Actions[i]);
        }
    }
}
