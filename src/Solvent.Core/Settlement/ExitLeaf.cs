using Solvent.Core.State;

namespace Solvent.Core.Settlement;

/// <summary>
/// What <see cref="Owner"/> may take from the vault on <see cref="ChainId"/> once it is frozen:
/// <c>leaf = keccak256(abi.encode(address owner, uint256 chainId, address token, uint256 amount))</c>.
/// </summary>
/// <param name="Owner">The account owner (over all its subaccounts).</param>
/// <param name="ChainId">EVM chain id of the paying vault.</param>
/// <param name="Token">ERC-20 paid.</param>
/// <param name="Amount">Token base units (positive).</param>
public sealed record ExitLeaf(Address Owner, long ChainId, Address Token, long Amount) : IComparable<ExitLeaf>
{
    /// <summary>The leaf hash.</summary>
    public byte[] Leaf()
    {
        Span<byte> b = stackalloc byte[4 * 32];
        AbiWords.Addr(b, Owner);
        AbiWords.Uint(b[32..], (ulong)ChainId);
        AbiWords.Addr(b[64..], Token);
        AbiWords.Uint(b[96..], (ulong)Amount);
        return Keccak.Hash(b);
    }

    /// <summary>Order of the exit tree: (owner, chainId, token) ascending as unsigned big-endian bytes.</summary>
    public int CompareTo(ExitLeaf? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = Owner.CompareTo(other.Owner);
        if (c != 0)
        {
            return c;
        }

        c = ChainId.CompareTo(other.ChainId);
        return c != 0 ? c : Token.CompareTo(other.Token);
    }
}
