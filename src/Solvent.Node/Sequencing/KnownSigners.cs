using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Node.Sequencing;

/// <summary>
/// Who may have actions sequenced. Any 65 bytes recover to some address, so without this a stream of
/// random signatures at nonce 0 would each be sequenced as a new signer, for free. Admitted: owners of
/// an account, the governance and oracle publisher keys of genesis, and a signer depositing a positive
/// amount into its own subaccount (creating an account with value). Lives on the sequencer loop.
/// </summary>
public sealed class KnownSigners
{
    private readonly HashSet<Address> _known = [];
    private readonly HashSet<Address> _pending = [];
    private int _accountsSeen;

    /// <summary>Starts from the genesis roles and every account owner of <paramref name="engine"/>.</summary>
    public KnownSigners(Engine engine)
    {
        _known.Add(engine.Genesis.Governance);
        foreach (Core.Config.OracleFeedConfig f in engine.Genesis.Oracles)
        {
            _known.UnionWith(f.Publishers);
        }

        Refresh(engine);
    }

    /// <summary>Whether <paramref name="action"/>'s signer has an account or creates one with value.</summary>
    public static bool CreatesAccountWithValue(EngineAction action) =>
        action is Deposit d && d.Amount > 0 && d.Account.Owner.Equals(d.Signer);

    /// <summary>
    /// Whether the action may be sequenced. A depositing newcomer is admitted at once, and so are its
    /// further actions in the same block (they follow the deposit); after the block only an account it
    /// actually holds keeps it admitted.
    /// </summary>
    public bool Admits(EngineAction action)
    {
        Address signer = action.Signer;
        if (_known.Contains(signer) || _pending.Contains(signer))
        {
            return true;
        }

        if (CreatesAccountWithValue(action))
        {
            _pending.Add(signer);
            return true;
        }

        return false;
    }

    /// <summary>After a block: owners of the accounts it created become known; admissions pending on a deposit end.</summary>
    public void Refresh(Engine engine)
    {
        for (int id = _accountsSeen; id < engine.Accounts.Count; id++)
        {
            // Protocol accounts (AMM, backstop) belong to no signer.
            if (!engine.IsProtocolAccount(id))
            {
                _known.Add(engine.Accounts.KeyOf(id).Owner);
            }
        }

        _accountsSeen = engine.Accounts.Count;
        _pending.Clear();
    }
}
