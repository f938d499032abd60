using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// A private key bound to a domain: signs actions into wire JSON. For tests, the load generator and
/// <c>--dev</c> demo keys; real users sign in their wallets.
/// </summary>
public sealed class ActionSigner
{
    private readonly byte[] _key;

    /// <summary>Binds a 32-byte private key to a domain.</summary>
    /// <exception cref="ArgumentException">The key is not a valid secp256k1 scalar.</exception>
    public ActionSigner(ReadOnlySpan<byte> privateKey, Eip712Domain domain)
    {
        if (!Secp256k1.IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException("private key must be 32 bytes with 0 < d < n", nameof(privateKey));
        }

        _key = privateKey.ToArray();
        Domain = domain;
        Address = Secp256k1.AddressOf(privateKey);
    }

    /// <summary>A deterministic demo key: keccak256(seed), e.g. <c>FromSeed("alice")</c>. Never for real funds.</summary>
    public static ActionSigner FromSeed(string seed, Eip712Domain domain) =>
        new(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(seed)), domain);

    /// <summary>The signer's address.</summary>
    public Address Address { get; }

    /// <summary>The domain signatures are made under.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>Signs an action (its <c>Signer</c> is ignored) and returns the wire JSON.</summary>
    public string Sign(EngineAction action, ulong nonce) => ActionCodec.Encode(action, nonce, _key, Domain);

    /// <summary>
    /// Signs an action and names this key's address in the <c>signer</c> member, so a node under another
    /// domain refuses it with SIGNER_MISMATCH instead of recovering a stranger.
    /// </summary>
    public string SignNamed(EngineAction action, ulong nonce) =>
        ActionCodec.EncodeNamed(action, nonce, Secp256k1.Sign(ActionCodec.Digest(action, nonce, Domain), _key), Address);

    /// <summary>The 65-byte signature over an action's digest.</summary>
    public byte[] SignatureOf(EngineAction action, ulong nonce) => Secp256k1.Sign(ActionCodec.Digest(action, nonce, Domain), _key);
}
