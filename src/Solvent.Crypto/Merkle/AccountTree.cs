using Solvent.Core;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>
/// The accounts commitment of a node: a <see cref="MerkleTree"/> whose leaf <i>i</i> is
/// <see cref="Engine.AccountCanonicalBytes"/> of account <i>i</i>, kept current from
/// <see cref="Engine.DrainDirty"/> with one reused buffer (no allocation per account). Single writer:
/// call it on the thread that applies blocks.
/// </summary>
public sealed class AccountTree
{
    private readonly MerkleTree _tree = new();
    private readonly ByteBuffer _sink = new();
    private readonly CanonicalWriter _writer;

    /// <summary>An empty commitment; the first <see cref="Update"/> adds every existing account.</summary>
    public AccountTree() => _writer = new CanonicalWriter(_sink);

    /// <summary>Accounts committed so far.</summary>
    public int Count => _tree.Count;

    /// <summary>
    /// Rehashes the accounts in <paramref name="dirty"/> (ids from <see cref="Engine.DrainDirty"/>) and appends
    /// every account created since the last call; <see cref="Root"/> then reflects the engine's current state.
    /// </summary>
    public void Update(Engine engine, IReadOnlyList<int> dirty)
    {
        // New accounts first, in id order (leaves are dense); they cover any dirty id beyond the old count.
        int known = _tree.Count;
        for (int id = known; id < engine.Accounts.Count; id++)
        {
            SetLeaf(engine, id);
        }

        foreach (int id in dirty)
        {
            if (id < known)
            {
                SetLeaf(engine, id);
            }
        }
    }

    /// <summary>The accounts root (32 bytes; all zero with no accounts).</summary>
    public byte[] Root() => _tree.Root();

    /// <summary>Sibling path of account <paramref name="id"/>, leaf level first.</summary>
    public byte[][] Proof(int id) => _tree.Proof(id);

    /// <summary>The inclusion proof of account <paramref name="id"/> against the current root.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No committed account has this id.</exception>
    public StateProof Prove(Engine engine, int id)
    {
        byte[][] path = _tree.Proof(id);
        return new StateProof(_tree.Root(), id, engine.AccountCanonicalBytes(id), path);
    }

    private void SetLeaf(Engine engine, int id)
    {
        _sink.Clear();
        engine.WriteAccountCanonical(id, _writer);
        _writer.Flush();
        _tree.SetLeaf(id, _sink.Written);
    }
}
