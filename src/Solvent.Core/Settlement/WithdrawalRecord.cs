using Solvent.Core.State;

namespace Solvent.Core.Settlement;

/// <summary>
/// A withdrawal the vault on <see cref="ChainId"/> pays to <see cref="Recipient"/> once its root is accepted:
/// <c>leaf = keccak256(abi.encode(uint64 id, address recipient, uint256 chainId, address token, uint256 amount))</c>.
/// </summary>
/// <param name="Id">Leaf index in the withdrawal tree (global, in append order).</param>
/// <param name="Recipient">Who the vault pays.</param>
/// <param name="ChainId">EVM chain id of the paying vault.</param>
/// <param name="Token">ERC-20 paid.</param>
/// <param name="Amount">Token base units.</param>
public sealed record WithdrawalRecord(ulong Id, Address Recipient, long ChainId, Address Token, long Amount)
{
    /// <summary>The leaf hash.</summary>
    public byte[] Leaf()
    {
        Span<byte> b = stackalloc byte[5 * 32];
        AbiWords.Uint(b, Id);
        AbiWords.Addr(b[32..], Recipient);
        AbiWords.Uint(b[64..], (ulong)ChainId);
        AbiWords.Addr(b[96..], Token);
        AbiWords.Uint(b[128..], (ulong)Amount);
        return Keccak.Hash(b);
    }
}
