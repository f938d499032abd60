using System.Text;

namespace Solvent.Crypto.Tests;

public class Keccak256Tests
{
    // Published Keccak-256 (Ethereum) vectors: the empty string and "abc"; SHA3-256 would give a7ffc6f8… for "".
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("cow", "0xc85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4")]
    public void Matches_published_vectors(string input, string expected) =>
        Assert.Equal(expected, Hex.Of(Keccak256.Hash(Encoding.UTF8.GetBytes(input))));

    [Fact]
    public void Split_input_hashes_like_the_concatenation()
    {
        byte[] a = Encoding.UTF8.GetBytes("hello ");
        byte[] b = Encoding.UTF8.GetBytes("world");
        byte[] c = Encoding.UTF8.GetBytes("!");
        Span<byte> two = stackalloc byte[32];
        Span<byte> three = stackalloc byte[32];
        Keccak256.Hash(a, b, two);
        Keccak256.Hash(a, b, c, three);
        Assert.Equal(Keccak256.Hash([.. a, .. b]), two.ToArray());
        Assert.Equal(Keccak256.Hash([.. a, .. b, .. c]), three.ToArray());
    }

    [Fact]
    public void A_reused_digest_starts_clean() =>
        Assert.Equal(Keccak256.Hash(Encoding.UTF8.GetBytes("abc")), Keccak256.Hash(Encoding.UTF8.GetBytes("abc")));
}
