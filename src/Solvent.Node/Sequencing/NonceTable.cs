using Solvent.Core.State;

namespace Solvent.Node.Sequencing;

/// <summary>
/// Next expected nonce per signer (starting at 0). Node state, not engine state: rebuilt by replaying
/// the log, since every logged action consumed its signer's nonce. Touched by the writer thread only.
/// </summary>
public sealed class NonceTable
{
    private readonly Dictionary<Address, ulong> _next = [];

    /// <summary>The nonce the signer's next action must carry.</summary>
    public ulong NextOf(Address signer) => _next.TryGetValue(signer, out ulong n) ? n : 0;

    /// <summary>Checks a nonce without consuming it: null when it is exactly the next one, else the rejection code.</summary>
    public string? Check(Address signer, ulong nonce)
    {
        ulong next = NextOf(signer);
        return nonce == next ? null : nonce < next ? NodeErrors.NonceReplayed : NodeErrors.NonceGap;
    }

    /// <summary>Consumes the signer's next nonce.</summary>
    public void Consume(Address signer) => _next[signer] = checked(NextOf(signer) + 1);

    /// <summary>Sets a signer's next nonce (restoring a snapshot).</summary>
    public void Set(Address signer, ulong next) => _next[signer] = next;

    /// <summary>Every signer and its next nonce, in no particular order.</summary>
    public IEnumerable<KeyValuePair<Address, ulong>> Entries() => _next;

    /// <summary>Signers seen so far.</summary>
    public int Count => _next.Count;
}
