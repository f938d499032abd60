using System.Text.Json.Nodes;
using Solvent.Crypto;
using Solvent.Crypto.Settlement;
using Solvent.Node.Replication;

namespace Solvent.Replication.Tests;

public class AttestationTests
{
    private static readonly Eip712Domain Domain = new(424242);

    private static byte[] Key(int i) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes($"validator-{i}"));

    private static ValidatorSet Set(int count, int threshold)
    {
        var g = new JsonObject
        {
            ["replication"] = new JsonObject
            {
                ["validators"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)JsonValue.Create(Secp256k1.AddressOf(Key(i)).ToString())!)]),
                ["threshold"] = threshold,
            },
        };
        return ValidatorSet.FromGenesis(g.ToJsonString());
    }

    /// <summary>The typed-data digest equals ethers' TypedDataEncoder.hash for the same domain and values.</summary>
    [Fact]
    public void Digest_matches_ethers()
    {
        static byte[] Fill(byte b) => Enumerable.Repeat(b, 32).ToArray();
        byte[] digest = AttestationTypedData.Digest(Domain, new Attestation(1234567, Fill(0x11), Fill(0x22), Fill(0x33), Fill(0x44)));
        Assert.Equal("a468b0c33253fa445404817a08dcf04814f22463cbdbf8caa8eb67f0ff93df41", Convert.ToHexStringLower(digest));
        Assert.Throws<ArgumentException>(() => AttestationTypedData.Digest(Domain, new Attestation(1, new byte[31], Fill(0), Fill(0), Fill(0))));
    }

    [Fact]
    public void Threshold_of_distinct_validators_makes_a_root_final()
    {
        var t = new FinalityTracker(Set(3, 2), Domain);
        byte[] root = Keccak256.Hash([1]);
        AttestationMessage a0 = FinalityTracker.Sign(Domain, Key(0), 5, root);
        Assert.True(t.Add(a0));
        Assert.False(t.Add(a0)); // the same validator twice counts once
        Assert.Null(t.Latest);
        Assert.True(t.Add(FinalityTracker.Sign(Domain, Key(2), 5, root)));
        FinalityTracker.Final f = t.Latest!;
        Assert.Equal(5, f.Height);
        Assert.Equal(2, f.Signatures.Count);
        Assert.True(string.CompareOrdinal(f.Signatures[0].Validator.ToLowerInvariant(), f.Signatures[1].Validator.ToLowerInvariant()) < 0);

        // An older height can no longer move finality back.
        Assert.False(t.Add(FinalityTracker.Sign(Domain, Key(1), 4, root)));
        Assert.Equal(5, t.Latest!.Height);
    }

    /// <summary>Attacks: an outsider's signature, a signature claiming another validator, other roots, another chain's domain, malformed fields.</summary>
    [Fact]
    public void Forged_foreign_and_split_attestations_never_reach_the_threshold()
    {
        var t = new FinalityTracker(Set(3, 2), Domain);
        byte[] root = Keccak256.Hash([7]);
        byte[] other = Keccak256.Hash([8]);
        Assert.True(t.Add(FinalityTracker.Sign(Domain, Key(0), 9, root)));

        // Not in the set.
        Assert.False(t.Add(FinalityTracker.Sign(Domain, Key(5), 9, root)));

        // An outsider's signature relabelled as validator 1's: the recovered signer differs.
        AttestationMessage forged = FinalityTracker.Sign(Domain, Key(5), 9, root) with { Validator = Secp256k1.AddressOf(Key(1)).ToString() };
        Assert.False(t.Add(forged));

        // Validator 1 signed for another chain id: does not verify under this domain.
        Assert.False(t.Add(FinalityTracker.Sign(new Eip712Domain(1), Key(1), 9, root)));

        // Validator 1 attests a different root: counted separately, neither is final.
        Assert.True(t.Add(FinalityTracker.Sign(Domain, Key(1), 9, other)));
        Assert.Null(t.Latest);

        // Tampered fields and junk.
        AttestationMessage good = FinalityTracker.Sign(Domain, Key(2), 9, root);
        Assert.False(t.Add(good with { Height = 10 }));
        Assert.False(t.Add(good with { ExitRoot = "0x" + new string('1', 64) }));
        Assert.False(t.Add(good with { Signature = "0x1234" }));
        Assert.False(t.Add(good with { StateRoot = "not hex" }));
        Assert.False(t.Add(good with { Height = -1 }));
        Assert.Null(t.Latest);
        Assert.True(t.Add(good));
        Assert.Equal(9, t.Latest!.Height);
    }

    [Theory]
    [InlineData("""{"replication":{"validators":["0x12"],"threshold":1}}""")]
    [InlineData("""{"replication":{"validators":["0x0000000000000000000000000000000000000001","0x0000000000000000000000000000000000000001"]}}""")]
    [InlineData("""{"replication":{"validators":["0x0000000000000000000000000000000000000001"],"threshold":2}}""")]
    [InlineData("""{"replication":{"validators":["0x0000000000000000000000000000000000000001"],"threshold":0}}""")]
    [InlineData("""{"replication":{"validators":"0x0000000000000000000000000000000000000001"}}""")]
    public void Bad_validator_sections_are_refused(string genesis) =>
        Assert.Throws<InvalidDataException>(() => ValidatorSet.FromGenesis(genesis));

    [Fact]
    public void Settlement_section_wins_and_threshold_defaults_to_a_majority()
    {
        const string a = "0x0000000000000000000000000000000000000001", b = "0x0000000000000000000000000000000000000002", c = "0x0000000000000000000000000000000000000003";
        string settlement = $"\"settlement\":{{\"validators\":[\"{a}\",\"{b}\",\"{c}\"]}}";
        ValidatorSet s = ValidatorSet.FromGenesis("{" + settlement + $",\"replication\":{{\"validators\":[\"{a}\"],\"threshold\":1}}}}");
        Assert.Equal(3, s.Validators.Count);
        Assert.Equal(2, s.Threshold);
        Assert.Equal(0, ValidatorSet.FromGenesis("{}").Threshold);
    }
}
