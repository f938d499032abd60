using Solvent.Core.Config;
using Solvent.Crypto;

namespace Solvent.Node.Ingress;

/// <summary>The production decoder: Solvent.Crypto's EIP-712 codec under the venue's domain (chain id from genesis).</summary>
public sealed class CryptoActionDecoder(Eip712Domain domain) : IActionDecoder
{
    private readonly string _schema = Eip712Schema.Describe(domain).ToJsonString();

    /// <summary>The decoder for a venue.</summary>
    public static CryptoActionDecoder For(Genesis genesis) => new(Eip712Domain.FromGenesis(genesis));

    /// <summary>The signing domain.</summary>
    public Eip712Domain Domain { get; } = domain;

    /// <inheritdoc />
    public bool TryDecode(ReadOnlySpan<byte> json, out DecodedAction? action, out string errorCode, out string errorMessage)
    {
        if (ActionCodec.TryDecode(json, Domain, out SignedAction? signed, out errorCode, out errorMessage))
        {
            action = new DecodedAction(signed.Action, signed.Signer, signed.Nonce);
            return true;
        }

        action = null;
        return false;
    }

    /// <inheritdoc />
    public string DescribeSchema() => _schema;
}
