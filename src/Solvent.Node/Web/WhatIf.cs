using Solvent.Core;
using Solvent.Core.Eval;
using Solvent.Node.Recovery;

namespace Solvent.Node.Web;

/// <summary>
/// Evaluates a subaccount at a moved price on a private copy of the engine (restored from the live state's
/// snapshot), with the same report code <c>solvent eval</c> and the account endpoint use. The live engine is
/// only read, never changed.
/// </summary>
public static class WhatIf
{
    /// <summary>Copies the state under the sequencer's read lock; the copy is restored off that thread.</summary>
    public static byte[] Capture(ChainState chain) => chain.Engine.SaveSnapshot();

    /// <summary>The report of subaccount <paramref name="key"/> with <paramref name="asset"/> priced at <paramref name="price"/>, or null when it does not exist.</summary>
    public static SubaccountReport? Evaluate(Core.Config.Genesis genesis, byte[] snapshot, Core.State.AccountKey key, int asset, long price)
    {
        Engine copy = Engine.RestoreSnapshot(genesis, snapshot);
        int id = copy.Accounts.Find(key);
        if (id < 0 || copy.IsProtocolAccount(id))
        {
            return null;
        }

        copy.ImportPrice(asset, price);
        return Views.AccountReports.Build(copy, id);
    }
}
