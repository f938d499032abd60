using System.Collections.Concurrent;
using System.Reflection;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Recovery;

/// <summary>
/// The Merkle commitment to every subaccount (leaf i = canonical bytes of account id i), updated
/// incrementally after each block: the accounts the engine marked written plus every subaccount the
/// block's actions name (which covers margin-mode switches and liquidation flags). Its root goes into
/// the block header; proofs come from the same tree. Owned by the writer thread.
/// </summary>
public sealed class AccountCommitment
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> KeyProperties = new();
    private readonly MerkleTree _tree = new();
    private readonly List<int> _touched = [];

    /// <summary>Builds the tree over every account of <paramref name="e"/>.</summary>
    public static AccountCommitment Of(Engine e)
    {
        var c = new AccountCommitment();
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            c._tree.SetLeaf(id, e.AccountCanonicalBytes(id));
        }

        return c;
    }

    /// <summary>Current root (32 bytes; zeros for no accounts).</summary>
    public byte[] Root() => _tree.Root();

    /// <summary>Leaves in the tree.</summary>
    public int Count => _tree.Count;

    /// <summary>Sibling path of account <paramref name="id"/>, leaf level first.</summary>
    public byte[][] Proof(int id) => _tree.Proof(id);

    /// <summary>Re-hashes the accounts a block wrote (call after <c>Engine.Apply</c>, before the risk index drains the dirty set).</summary>
    public void Update(Engine e, IReadOnlyList<EngineAction> actions)
    {
        _touched.Clear();
        e.PeekDirty(_touched);
        foreach (EngineAction a in actions)
        {
            foreach (PropertyInfo p in KeyProperties.GetOrAdd(a.GetType(), t => [.. t.GetProperties().Where(p => p.PropertyType == typeof(AccountKey))]))
            {
                int id = e.Accounts.Find((AccountKey)p.GetValue(a)!);
                if (id >= 0)
                {
                    _touched.Add(id);
                }
            }
        }

        // New accounts are appended in id order; then existing ones are rewritten.
        for (int id = _tree.Count; id < e.Accounts.Count; id++)
        {
            _tree.SetLeaf(id, e.AccountCanonicalBytes(id));
        }

        foreach (int id in _touched)
        {
            _tree.SetLeaf(id, e.AccountCanonicalBytes(id));
        }
    }
}
