namespace Solvent.Core;

/// <summary>Read-only access to the dirty-account set for a second consumer (the node's account commitment).</summary>
public sealed partial class Engine
{
    /// <summary>
    /// Copies the ids of subaccounts written since the last <see cref="DrainDirty"/> into
    /// <paramref name="into"/> without clearing them, so the risk index still sees them afterwards.
    /// Every write to an account's canonical bytes marks it (balances, positions, margin mode, flag).
    /// </summary>
    public void PeekDirty(List<int> into)
    {
        foreach (int id in _dirty.Ids)
        {
            // A rolled-back creation can leave an id that no longer exists.
            if (id < Accounts.Count)
            {
                into.Add(id);
            }
        }
    }
}
