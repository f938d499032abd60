using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Settlement;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// Custody: bridged deposits credited once each in deposit-id order, withdrawals to a vault chain recorded in
/// the withdrawal tree against that chain's custody, forced withdrawals, and the roots a commitment attests.
/// </summary>
public sealed partial class Engine
{
    private readonly List<(byte Kind, int Chain, int Token, long Old)> _undoSettlement = [];

    /// <summary>Custody state; null when genesis has no <c>settlement</c> section.</summary>
    public SettlementState? Settlement { get; private set; }

    private bool BridgedCustody => Settlement is { Config.Custody: CustodyMode.Bridged };

    /// <summary>The depth-32 withdrawal-tree root (zero-tree root when settlement is off).</summary>
    public byte[] WithdrawalsRoot() => Settlement?.Tree.Root() ?? new WithdrawalTree().Root();

    /// <summary>Per-chain forced-request processed counts hashed as the attestation's forcedRoot (zero when settlement is off).</summary>
    public byte[] ForcedRoot() => Settlement?.ForcedRoot() ?? new byte[32];

    /// <summary>Every exit leaf at the current state (see <see cref="ExitClaims"/>), sorted in tree order.</summary>
    public IReadOnlyList<ExitLeaf> ExitLeaves() => Settlement is null ? [] : ExitClaims.Compute(this);

    /// <summary>The exit tree's root over <see cref="ExitLeaves"/>.</summary>
    public byte[] ExitRoot()
    {
        IReadOnlyList<ExitLeaf> leaves = ExitLeaves();
        var hashes = new List<byte[]>(leaves.Count);
        foreach (ExitLeaf l in leaves)
        {
            hashes.Add(l.Leaf());
        }

        return ExitTree.Root(hashes);
    }

    /// <summary>Where a withdrawal goes: chain and token positions in the settlement config, and the recipient.</summary>
    private readonly record struct WithdrawalDestination(int Chain, int Token, Address Recipient);

    private ActionResult ApplyWithdrawTo(Address signer, AccountKey key, int asset, long amount, long chainId, Address recipient, bool allowBorrow)
    {
        if (Settlement is not { } st)
        {
            return Reject(ErrorCode.SettlementOff, "this venue has no vault chain; use Withdraw or Borrow");
        }

        if (!ValidAsset(asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {asset} is not listed");
        }

        if (DestinationProblem(st, asset, amount, chainId, recipient, out WithdrawalDestination dest) is { } problem)
        {
            return problem;
        }

        return ApplyWithdraw(signer, key, asset, amount, allowBorrow, dest);
    }

    private ActionResult? DestinationProblem(SettlementState st, int asset, long amount, long chainId, Address recipient, out WithdrawalDestination dest)
    {
        dest = default;
        int c = st.Config.IndexOfChain(chainId);
        if (c < 0)
        {
            return Reject(ErrorCode.UnknownChain, $"chain {chainId} is not a vault chain of this venue");
        }

        int t = st.Config.Chains[c].IndexOfAsset(asset);
        if (t < 0)
        {
            return Reject(ErrorCode.AssetNotOnChain, $"the vault on chain {chainId} does not hold {Sym(asset)}");
        }

        if (recipient == Address.Zero)
        {
            return Reject(ErrorCode.InvalidParameter, "the recipient must not be the zero address (tokens sent there are burnt)");
        }

        if (amount > 0 && st.Custody[c][t] < amount)
        {
            return Reject(ErrorCode.ChainLiquidity, $"the vault on chain {chainId} holds {Amt(asset, st.Custody[c][t])} {Sym(asset)} for the venue, asked {Amt(asset, amount)}; withdraw to another chain");
        }

        if (st.Tree.Count >= WithdrawalTree.Capacity)
        {
            return Reject(ErrorCode.WithdrawalTreeFull, "the withdrawal tree is full");
        }

        dest = new WithdrawalDestination(c, t, recipient);
        return null;
    }

    /// <summary>Appends the record and lowers custody; the caller validated both (custody ≥ amount, tree not full).</summary>
    private WithdrawalRecord RecordWithdrawal(WithdrawalDestination dest, AccountKey key, int asset, long amount)
    {
        SettlementState st = Settlement!;
        SettlementChain chain = st.Config.Chains[dest.Chain];
        var record = new WithdrawalRecord(st.Tree.Count, dest.Recipient, chain.ChainId, chain.Tokens[dest.Token].Token, amount);
        SetCustody(dest.Chain, dest.Token, checked(st.Custody[dest.Chain][dest.Token] - amount));
        st.TryAppend(record, out _);
        _undoSettlement.Add((UndoAppend, 0, 0, 0));
        _events.Add(new WithdrawalRecorded(record, key, asset));
        return record;
    }

    private ActionResult ApplyBridgedDeposit(BridgedDeposit d)
    {
        if (Settlement is not { } st)
        {
            return Reject(ErrorCode.SettlementOff, "this venue has no vault chain");
        }

        int c = st.Config.IndexOfChain(d.ChainId);
        if (c < 0)
        {
            return Reject(ErrorCode.UnknownChain, $"chain {d.ChainId} is not a vault chain of this venue");
        }

        if (d.DepositId < st.NextDeposit[c])
        {
            return Reject(ErrorCode.DepositAlreadyCredited, $"deposit {d.DepositId} on chain {d.ChainId} was already credited");
        }

        if (d.DepositId > st.NextDeposit[c])
        {
            return Reject(ErrorCode.DepositOutOfOrder, $"deposit {d.DepositId} on chain {d.ChainId} comes after {st.NextDeposit[c]}, which is not credited yet");
        }

        if (d.TxHash is not { Length: 32 } || d.LogIndex < 0)
        {
            return Reject(ErrorCode.InvalidParameter, "a bridged deposit names its 32-byte transaction hash and a non-negative log index");
        }

        // From here the deposit is sequenced whatever happens to its credit: the tokens are in the vault, and a
        // deposit that stopped the sequence would stop every later one.
        SettlementChain chain = st.Config.Chains[c];
        var key = new AccountKey(d.Owner, d.Subaccount);
        int t = chain.IndexOfToken(d.Token);
        string? reason = null;
        if (t < 0)
        {
            reason = "the vault's token is not in genesis";
        }
        else if (d.Amount == 0)
        {
            SetNextDeposit(c, d.DepositId + 1);
            _events.Add(new BridgedDepositCredited(d.ChainId, d.DepositId, key, chain.Tokens[t].Asset, 0));
            return Done();
        }
        else if (d.Amount > long.MaxValue || st.Custody[c][t] > long.MaxValue - (long)d.Amount)
        {
            reason = "the amount is beyond the engine's integer range";
        }
        else
        {
            int asset = chain.Tokens[t].Asset;
            long amount = (long)d.Amount;
            SetNextDeposit(c, d.DepositId + 1);
            SetCustody(c, t, st.Custody[c][t] + amount);
            _events.Add(new BridgedDepositCredited(d.ChainId, d.DepositId, key, asset, amount));
            ActionResult r;
            try
            {
                r = CreditExternal(key, asset, amount, repayOnly: false);
            }
            catch (Exception e) when (IsArithmetic(e))
            {
                r = Reject(ErrorCode.Overflow, e.Message);
            }

            if (r.Ok)
            {
                return r;
            }

            reason = r.CodeName + ": " + r.Message;
            Rollback();
            _events.Clear();
        }

        SetNextDeposit(c, d.DepositId + 1);
        long refundId = -1;
        if (t >= 0 && d.Owner != Address.Zero && d.Amount <= long.MaxValue && st.Tree.Count < WithdrawalTree.Capacity)
        {
            // Refunded where it came from: custody rises and falls by the same amount.
            WithdrawalRecord rec = RecordRefund(c, t, d.Owner, (long)d.Amount);
            refundId = (long)rec.Id;
        }

        _events.Add(new BridgedDepositRefunded(d.ChainId, d.DepositId, d.Owner, reason, refundId));
        return Done();
    }

    private WithdrawalRecord RecordRefund(int c, int t, Address owner, long amount)
    {
        SettlementState st = Settlement!;
        SettlementChain chain = st.Config.Chains[c];
        var record = new WithdrawalRecord(st.Tree.Count, owner, chain.ChainId, chain.Tokens[t].Token, amount);
        st.TryAppend(record, out _);
        _undoSettlement.Add((UndoAppend, 0, 0, 0));
        _events.Add(new WithdrawalRecorded(record, new AccountKey(owner, 0), chain.Tokens[t].Asset));
        return record;
    }

    private ActionResult ApplyForcedWithdrawal(ForcedWithdrawal f)
    {
        if (Settlement is not { } st)
        {
            return Reject(ErrorCode.SettlementOff, "this venue has no vault chain");
        }

        int c = st.Config.IndexOfChain(f.ChainId);
        if (c < 0)
        {
            return Reject(ErrorCode.UnknownChain, $"chain {f.ChainId} is not a vault chain of this venue");
        }

        if (f.RequestId < st.ForcedProcessed[c])
        {
            return Reject(ErrorCode.ForcedRequestProcessed, $"forced request {f.RequestId} on chain {f.ChainId} was already processed");
        }

        if (f.RequestId > st.ForcedProcessed[c])
        {
            return Reject(ErrorCode.ForcedRequestOutOfOrder, $"forced request {f.RequestId} on chain {f.ChainId} comes after {st.ForcedProcessed[c]}, which is not processed yet");
        }

        var key = new AccountKey(f.Owner, f.Subaccount);
        SettlementChain chain = st.Config.Chains[c];
        int t = chain.IndexOfToken(f.Token);
        string reason;
        if (t < 0)
        {
            reason = "the vault's token is not in genesis";
        }
        else if (f.Amount == 0 || f.Amount > long.MaxValue)
        {
            reason = "the amount is zero or beyond the engine's integer range";
        }
        else if (f.Owner == Address.Zero)
        {
            reason = "the zero address owns no account";
        }
        else
        {
            int asset = chain.Tokens[t].Asset;
            long amount = (long)f.Amount;
            ActionResult? problem = DestinationProblem(st, asset, amount, f.ChainId, f.Owner, out WithdrawalDestination dest);
            if (problem is { } p)
            {
                reason = p.CodeName + ": " + p.Message;
            }
            else
            {
                SetForcedProcessed(c, f.RequestId + 1);
                _events.Add(new ForcedWithdrawalProcessed(f.ChainId, f.RequestId, key, amount, string.Empty));
                ActionResult r;
                try
                {
                    r = ApplyWithdraw(f.Owner, key, asset, amount, allowBorrow: false, dest);
                }
                catch (Exception e) when (IsArithmetic(e))
                {
                    r = Reject(ErrorCode.Overflow, e.Message);
                }

                if (r.Ok)
                {
                    return r;
                }

                reason = r.CodeName + ": " + r.Message;
                Rollback();
                _events.Clear();
            }
        }

        SetForcedProcessed(c, f.RequestId + 1);
        _events.Add(new ForcedWithdrawalProcessed(f.ChainId, f.RequestId, key, 0, reason));
        return Done();
    }

    private const byte UndoNextDeposit = 1, UndoForced = 2, UndoCustody = 3, UndoAppend = 4;

    private void SetNextDeposit(int c, ulong next)
    {
        _undoSettlement.Add((UndoNextDeposit, c, 0, unchecked((long)Settlement!.NextDeposit[c])));
        Settlement.NextDeposit[c] = next;
    }

    private void SetForcedProcessed(int c, ulong next)
    {
        _undoSettlement.Add((UndoForced, c, 0, unchecked((long)Settlement!.ForcedProcessed[c])));
        Settlement.ForcedProcessed[c] = next;
    }

    private void SetCustody(int c, int t, long value)
    {
        _undoSettlement.Add((UndoCustody, c, t, Settlement!.Custody[c][t]));
        Settlement.Custody[c][t] = value;
    }

    private void RollbackSettlement()
    {
        for (int i = _undoSettlement.Count - 1; i >= 0; i--)
        {
            (byte kind, int c, int t, long old) = _undoSettlement[i];
            switch (kind)
            {
                case UndoNextDeposit:
                    Settlement!.NextDeposit[c] = unchecked((ulong)old);
                    break;
                case UndoForced:
                    Settlement!.ForcedProcessed[c] = unchecked((ulong)old);
                    break;
                case UndoCustody:
                    Settlement!.Custody[c][t] = old;
                    break;
                default:
                    Settlement!.RemoveLast();
                    break;
            }
        }

        _undoSettlement.Clear();
    }

    /// <summary>Refusal of a user-signed inflow or outflow the custody mode does not allow, else null.</summary>
    private ActionResult? CustodyRefusal(EngineAction action)
    {
        if (!BridgedCustody)
        {
            return null;
        }

        return action switch
        {
            Deposit or Repay or FundInsurance => Reject(ErrorCode.DepositNotBridged, "custody is bridged: tokens enter only by a vault deposit on a settlement chain (a signed deposit, repay or fund has no token behind it); repay by depositing to the vault"),
            Withdraw or Borrow => Reject(ErrorCode.DestinationRequired, "custody is bridged: tokens leave only to a vault chain; use WithdrawTo or BorrowTo with a chainId and recipient"),
            _ => null,
        };
    }
}
