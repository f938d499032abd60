using System.Buffers.Binary;
using System.Text;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// The EIP-712 domain every Solvent action is signed under:
/// <c>EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)</c>.
/// A signature for one chain id (or version, or contract) recovers a different signer on another.
/// </summary>
public sealed class Eip712Domain
{
    /// <summary>Domain name.</summary>
    public const string DefaultName = "Solvent";

    /// <summary>Domain version until genesis carries one.</summary>
    public const string DefaultVersion = "1";

    /// <summary>EIP-712 type of the domain struct.</summary>
    public const string EncodedType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    /// <summary>
    /// Stand-in verifying contract until Solvent has an on-chain settlement contract: the ASCII bytes of
    /// "Solvent" right-aligned in 20 bytes, so it can never be a real deployment's address by accident.
    /// </summary>
    public static readonly Address DefaultVerifyingContract = Address.Parse("0x00000000000000000000000000536f6c76656e74");

    private readonly byte[] _separator;

    /// <summary>Builds a domain and precomputes its separator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative chain id.</exception>
    public Eip712Domain(long chainId, string name = DefaultName, string version = DefaultVersion, Address? verifyingContract = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chainId);
        ChainId = chainId;
        Name = name;
        Version = version;
        VerifyingContract = verifyingContract ?? DefaultVerifyingContract;

        // hashStruct(domain) = keccak(typeHash ‖ keccak(name) ‖ keccak(version) ‖ uint256 chainId ‖ address).
        byte[] words = new byte[5 * 32];
        Keccak256.Hash(Encoding.UTF8.GetBytes(EncodedType), words.AsSpan(0, 32));
        Keccak256.Hash(Encoding.UTF8.GetBytes(name), words.AsSpan(32, 32));
        Keccak256.Hash(Encoding.UTF8.GetBytes(version), words.AsSpan(64, 32));
        BinaryPrimitives.WriteInt64BigEndian(words.AsSpan(96 + 24, 8), chainId);
        VerifyingContract.WriteBytes(words.AsSpan(128 + 12, 20));
        _separator = Keccak256.Hash(words);
    }

    /// <summary>The domain of a venue: name "Solvent", version "1", the genesis chain id, the default verifying contract.</summary>
    public static Eip712Domain FromGenesis(Genesis genesis) => new(genesis.ChainId);

    /// <summary>Domain name.</summary>
    public string Name { get; }

    /// <summary>Domain version.</summary>
    public string Version { get; }

    /// <summary>Chain id (genesis <c>chainId</c>).</summary>
    public long ChainId { get; }

    /// <summary>Verifying contract address.</summary>
    public Address VerifyingContract { get; }

    /// <summary>hashStruct(domain).</summary>
    public ReadOnlySpan<byte> Separator => _separator;

    /// <summary>The signed digest: keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash).</summary>
    public void Digest(ReadOnlySpan<byte> structHash, Span<byte> output)
    {
        ReadOnlySpan<byte> prefix = [0x19, 0x01];
        Keccak256.Hash(prefix, _separator, structHash, output);
    }
}
