using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Lending;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// The lending backstop: debt that no liquidation can ever collect (no collateral, dust, or collateral
/// whose price collapsed below one unit of the debt) is written off — the dust goes to its asset's
/// insurance fund and the debt runs the bad-debt waterfall — by anyone for a fixed fee, and at the end
/// of every block for the subaccounts the block's actions touched.
/// </summary>
public sealed partial class Engine
{
    // Subaccounts written since the last end of block: the only ones a settlement can have made eligible.
    private readonly AccountIdSet _writeOffCandidates = new();

    /// <summary>
    /// Whether subaccount <paramref name="id"/> holds debt that no lending liquidation can collect: it has
    /// no perpetual position or unsettled quote (the perpetual waterfall goes first), and for some asset it
    /// owes, none of its positive balances could repay one unit of that debt with the liquidation penalty —
    /// exactly when <see cref="Liquidate"/> refuses every collateral with NO_COLLATERAL. Read-only.
    /// </summary>
    public bool IsWriteOffEligible(int id) => (uint)id < (uint)Accounts.Count && !IsProtocolAccount(id) && WriteOffReason(id) is null;

    /// <summary>Null when eligible; else why not (for the rejection message).</summary>
    private string? WriteOffReason(int id)
    {
        if (HasPositions(id))
        {
            return "has a perpetual position or unsettled PnL: the perpetual liquidation waterfall goes first";
        }

        ReadOnlySpan<long> b = Accounts.Balances(id);
        bool owes = false;
        for (int d = 0; d < b.Length; d++)
        {
            if (b[d] >= 0)
            {
                continue;
            }

            owes = true;
            if (!AnyCollateralCovers(b, d))
            {
                return null;
            }
        }

        return owes ? "holds collateral that a liquidation can still seize for at least one unit of each debt" : "owes nothing";
    }

    /// <summary>Whether some positive balance could repay at least one unit of debt asset <paramref name="d"/> at the liquidation penalty.</summary>
    private bool AnyCollateralCovers(ReadOnlySpan<long> b, int d)
    {
        AssetPool dp = _pools[d];
        for (int c = 0; c < b.Length; c++)
        {
            if (b[c] > 0)
            {
                AssetPool cp = _pools[c];
                if (LiquidationMath.RepayFor(dp, cp, cp.ScaledToSupply(b[c]), cp.Risk.LiquidationPenalty) > 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private ActionResult ApplyWriteOff(WriteOffBadDebt w)
    {
        if (w.Signer != w.Caller.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "the signer must own the subaccount that collects the fee");
        }

        if (w.Caller.Owner == w.Target.Owner)
        {
            return Reject(ErrorCode.SelfLiquidation, "an owner cannot write off its own subaccounts");
        }

        int tid = Accounts.Find(w.Target);
        if (tid < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {w.Target} does not exist");
        }

        int cid = Accounts.Find(w.Caller);
        if (IsProtocolAccount(tid) || (cid >= 0 && IsProtocolAccount(cid)))
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts are neither written off nor paid fees");
        }

        if (WriteOffReason(tid) is { } why)
        {
            return Reject(ErrorCode.NotWriteOffEligible, $"{w.Target} {why}");
        }

        // The caller's fee ranks ahead of the loss, like a keeper's bonus. It never exceeds what the
        // settlement asset's insurance fund holds, nor what a liquidation would have paid on the debt
        // (its value × the debt asset's liquidation penalty): a borrower who lets its own tiny borrow go
        // bad and collects the fee from another address gets less than the collateral it gave up.
        int qa = Genesis.QuoteAsset;
        AssetPool q = _pools[qa];
        long fee = System.Math.Min(System.Math.Min(Genesis.WriteOffFee, q.Insurance), PenaltyOnDebts(tid));
        Touch(qa);
        q.Insurance -= fee;
        _events.Add(new BadDebtWrittenOff(w.Caller, w.Target, fee));
        WriteOff(tid);

        // Credited after the waterfall, so the fee itself is not haircut by the loss it clears.
        if (fee > 0)
        {
            BalanceChange paid = BalanceChange.Credit(q, cid >= 0 ? Accounts.Scaled(cid, qa) : 0, fee);
            if (cid < 0)
            {
                cid = CreateAccount(w.Caller, MarginMode.Cross);
            }

            Commit(cid, qa, paid);
        }

        return Done();
    }

    /// <summary>Settlement-asset quantums worth Σ debt value × that asset's liquidation penalty (rounded down).</summary>
    private long PenaltyOnDebts(int id)
    {
        Int128 value = 0;
        ReadOnlySpan<long> b = Accounts.Balances(id);
        for (int d = 0; d < b.Length; d++)
        {
            if (b[d] < 0)
            {
                AssetPool dp = _pools[d];
                value += FullMath.Div(dp.ValueOf(dp.ScaledToDebt(-b[d]), Rounding.Down) * dp.Risk.LiquidationPenalty, Precision.Ppm, Rounding.Down);
            }
        }

        AssetPool q = _pools[Genesis.QuoteAsset];
        return (long)Int128.Min(FullMath.Div(value * q.ValueDivisor, q.Price, Rounding.Down), long.MaxValue);
    }

    /// <summary>Seizes every positive balance of an eligible account into its asset's insurance fund, then realizes its debts.</summary>
    private void WriteOff(int id)
    {
        AccountKey key = Accounts.KeyOf(id);
        for (int a = 0; a < _pools.Length; a++)
        {
            long s = Accounts.Scaled(id, a);
            if (s <= 0)
            {
                continue;
            }

            AssetPool p = Touch(a);
            long amount = p.ScaledToSupply(s);
            long insurance = checked(p.Insurance + amount);
            Commit(id, a, new BalanceChange(0, -s, 0, 0, 0));
            p.Insurance = insurance;
            _events.Add(new DustSeized(key, a, amount));
        }

        RealizeBadDebtIfBankrupt(id);
    }

    /// <summary>
    /// End of block: writes off (without a fee) every eligible subaccount the block's actions wrote, so a
    /// settlement that leaves an account with uncollectable debt runs the bad-debt waterfall at once.
    /// Never throws: an account whose write-off overflows is left as it was (a keeper may retry).
    /// </summary>
    private IReadOnlyList<EngineEvent> WriteOffTouched()
    {
        _events.Clear();
        List<EngineEvent>? events = null;
        // By index: a write-off marks the accounts it writes, which may add to the list being walked.
        List<int> candidates = _writeOffCandidates.Ids;
        for (int i = 0; i < candidates.Count; i++)
        {
            int id = candidates[i];
            if (id >= Accounts.Count || !OwesAnything(id) || IsProtocolAccount(id))
            {
                continue;
            }

            ClearUndo();
            try
            {
                if (WriteOffReason(id) is null)
                {
                    AccountKey key = Accounts.KeyOf(id);
                    _events.Add(new BadDebtWrittenOff(key, key, 0));
                    WriteOff(id);
                    foreach ((int a, _) in _undoPools)
                    {
                        _pools[a].CloseBooks();
                    }

                    (events ??= []).AddRange(_events);
                }
            }
            catch (Exception e) when (IsArithmetic(e))
            {
                Rollback();
            }

            _events.Clear();
        }

        ClearUndo();
        _writeOffCandidates.Clear();
        return events is null ? [] : events;
    }

    private bool OwesAnything(int id)
    {
        foreach (long b in Accounts.Balances(id))
        {
            if (b < 0)
            {
                return true;
            }
        }

        return false;
    }
}
