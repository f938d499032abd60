using System.Text;
using Solvent.Core.State;

namespace Solvent.Crypto.Tests;

public class Eip712DomainTests
{
    [Fact]
    public void Reproduces_the_eip712_mail_example()
    {
        // The EIP's domain separator and digest, with the Mail struct hashed by hand (Solvent has no nested types).
        var domain = new Eip712Domain(1, "Ether Mail", "1", Address.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
        Assert.Equal("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", Hex.Of(domain.Separator));

        byte[] person = Keccak256.Hash(Encoding.UTF8.GetBytes("Person(string name,address wallet)"));
        byte[] mailType = Keccak256.Hash(Encoding.UTF8.GetBytes("Mail(Person from,Person to,string contents)Person(string name,address wallet)"));
        byte[] from = PersonHash(person, "Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
        byte[] to = PersonHash(person, "Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB");
        byte[] mail = Keccak256.Hash([.. mailType, .. from, .. to, .. Keccak256.Hash(Encoding.UTF8.GetBytes("Hello, Bob!"))]);
        Assert.Equal("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e", Hex.Of(mail));

        byte[] digest = new byte[32];
        domain.Digest(mail, digest);
        Assert.Equal(Secp256k1Tests.MailDigest, Hex.Of(digest));
    }

    [Fact]
    public void Genesis_domain_uses_the_documented_defaults()
    {
        var d = new Eip712Domain(31337);
        Assert.Equal("Solvent", d.Name);
        Assert.Equal("1", d.Version);
        Assert.Equal("0x00000000000000000000000000536f6c76656e74", d.VerifyingContract.ToString());
        Assert.NotEqual(new Eip712Domain(1).Separator.ToArray(), d.Separator.ToArray());
    }

    private static byte[] PersonHash(byte[] typeHash, string name, string wallet)
    {
        byte[] word = new byte[32];
        Address.Parse(wallet).WriteBytes(word.AsSpan(12));
        return Keccak256.Hash([.. typeHash, .. Keccak256.Hash(Encoding.UTF8.GetBytes(name)), .. word]);
    }
}
