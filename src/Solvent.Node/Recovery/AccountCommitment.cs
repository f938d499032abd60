using Solvent.Core;
using Solvent.Crypto;

namespace Solvent.Node.Recovery;

/// <summary>
/// The Merkle commitment to every subaccount (<see cref="AccountTree"/>: leaf i = canonical bytes of
/// account id i), updated after each block from the accounts the engine marked written. The node peeks
/// at that set instead of draining it, because the risk index drains it afterwards. Its root goes into
/// the block header; proofs come from the same tree. Owned by the writer thread.
/// </summary>
public sealed class AccountCommitment
{
    private readonly AccountTree _tree = new();
    private readonly List<int> _touched = [];

    /// <summary>Builds the tree over every account of <paramref name="e"/>.</summary>
    public static AccountCommitment Of(Engine e)
    {
        var c = new AccountCommitment();
        c._tree.Update(e, []);
        return c;
    }

    /// <summary>Current root (32 bytes; zeros for no accounts).</summary>
    public byte[] Root() => _tree.Root();

    /// <summary>Leaves in the tree.</summary>
    public int Count => _tree.Count;

    /// <summary>Sibling path of account <paramref name="id"/>, leaf level first.</summary>
    public byte[][] Proof(int id) => _tree.Proof(id);

    /// <summary>Re-hashes the accounts a block wrote (call after <c>Engine.Apply</c>, before the risk index drains the dirty set).</summary>
    public void Update(Engine e)
    {
        _touched.Clear();
        e.PeekDirty(_touched);
        _tree.Update(e, _touched);
    }
}
