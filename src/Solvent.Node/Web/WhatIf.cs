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

    /// <summary>
    /// The report of subaccount <paramref name="key"/> after a market order takes its <paramref name="market"/>
    /// position to <paramref name="targetSize"/> (base quantums, signed), placed on the copy through the engine's own
    /// order rules (AMM fill, fees, margin); or the engine's refusal of that order. Null when the subaccount does not exist.
    /// </summary>
    public static (SubaccountReport? Report, Core.Actions.ActionResult Result)? EvaluateOrder(Core.Config.Genesis genesis, byte[] snapshot, Core.State.AccountKey key, int market, long targetSize)
    {
        Engine copy = Engine.RestoreSnapshot(genesis, snapshot);
        int id = copy.Accounts.Find(key);
        if (id < 0 || copy.IsProtocolAccount(id))
        {
            return null;
        }

        long held = copy.Accounts.Size(id, market);
        if (targetSize == held)
        {
            return (Views.AccountReports.Build(copy, id), Core.Actions.ActionResult.Accept([]));
        }

        // The difference can leave the long range (from a large long to a large short): the engine would refuse it too.
        Int128 delta = (Int128)targetSize - held;
        if (delta > long.MaxValue || delta < -long.MaxValue)
        {
            return (null, Core.Actions.ActionResult.Reject(Core.Actions.ErrorCode.Overflow, "the order from the current size to that size is too large"));
        }

        Core.Actions.ActionResult r = copy.Apply(new Core.Actions.PlaceOrder(key.Owner, key, market, (long)delta, 0, false));
        return (r.Ok ? Views.AccountReports.Build(copy, id) : null, r);
    }
}
