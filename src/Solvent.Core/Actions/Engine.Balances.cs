using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Lending;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>Deposit, withdraw, borrow, repay, transfer and subaccount opening: validate against current state, then write.</summary>
public sealed partial class Engine
{
    private ActionResult ApplyOpen(OpenSubaccount o)
    {
        if (o.Signer != o.Account.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "only the owner can open its subaccounts");
        }

        if (o.Mode is not (MarginMode.Cross or MarginMode.Isolated))
        {
            return Reject(ErrorCode.InvalidParameter, "mode must be cross or isolated");
        }

        int existing = Accounts.Find(o.Account);
        if (existing >= 0)
        {
            // Anyone may deposit into any subaccount, which opens it as cross; so the owner may still
            // choose the mode while the subaccount carries no borrow and no position.
            if (Accounts.ModeOf(existing) == o.Mode || HasExposure(existing))
            {
                return Reject(ErrorCode.AccountExists, $"subaccount {o.Account} already exists with exposure or in that mode");
            }

            Accounts.SetMode(existing, o.Mode);
            _undoModes.Add(existing);
            MarkDirty(existing);
            _events.Add(new SubaccountOpened(o.Account, o.Mode));
            return Done();
        }

        CreateAccount(o.Account, o.Mode);
        return Done();
    }

    private bool HasExposure(int id)
    {
        foreach (long b in Accounts.Balances(id))
        {
            if (b < 0)
            {
                return true;
            }
        }

        foreach (long s in Accounts.Sizes(id))
        {
            if (s != 0)
            {
                return true;
            }
        }

        return false;
    }

    private ActionResult ApplyFundMarketInsurance(FundMarketInsurance f)
    {
        if (!ValidMarket(f.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {f.Market} is not listed");
        }

        if (f.Amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        if (f.Signer != f.From.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "only the owner can pay from a subaccount");
        }

        int id = Accounts.Find(f.From);
        if (id < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {f.From} does not exist");
        }

        if (IsProtocolAccount(id))
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts do not pay into insurance funds");
        }

        int qa = Genesis.QuoteAsset;
        AssetPool q = _pools[qa];
        long s = Accounts.Scaled(id, qa);
        long supplied = s > 0 ? q.ScaledToSupply(s) : 0;
        if (f.Amount > supplied)
        {
            return Reject(ErrorCode.InsufficientBalance, $"{f.From} has {Amt(qa, supplied)} {Sym(qa)} supplied");
        }

        BalanceChange c = BalanceChange.Debit(q, s, f.Amount);
        Health after = WhatIf(id, qa, c.NewScaled);
        if (after.InitialHealth < 0)
        {
            return Reject(ErrorCode.InitialHealthViolated, "paying into the fund would break initial health");
        }

        // The tokens leave the balance for the market's ledger: booked like negative settled PnL.
        PerpMarket m = TouchMarket(f.Market);
        Touch(qa);
        Commit(id, qa, c);
        m.Insurance = checked(m.Insurance + f.Amount);
        m.SettledPnl = checked(m.SettledPnl - f.Amount);
        q.PerpSettled = checked(q.PerpSettled - f.Amount);
        _events.Add(new MarketInsuranceFunded(f.Market, f.Amount, m.Insurance));
        return Done();
    }

    private ActionResult ApplyDeposit(Deposit d)
    {
        if (!ValidAsset(d.Asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {d.Asset} is not listed");
        }

        if (d.Amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        return CreditExternal(d.Account, d.Asset, d.Amount, repayOnly: false);
    }

    private ActionResult ApplyFundInsurance(FundInsurance f)
    {
        if (!ValidAsset(f.Asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {f.Asset} is not listed");
        }

        if (f.Amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        AssetPool p = _pools[f.Asset];
        long cash = checked(p.Cash + f.Amount);
        long insurance = checked(p.Insurance + f.Amount);
        Touch(f.Asset);
        p.Cash = cash;
        p.Insurance = insurance;
        _events.Add(new InsuranceFunded(f.Asset, f.Amount, insurance));
        return Done();
    }

    private ActionResult ApplyRepay(Repay r)
    {
        if (!ValidAsset(r.Asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {r.Asset} is not listed");
        }

        if (r.Amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        int id = Accounts.Find(r.Account);
        if (id < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {r.Account} does not exist");
        }

        long s = Accounts.Scaled(id, r.Asset);
        if (s >= 0)
        {
            return Reject(ErrorCode.NoDebt, $"{r.Account} owes no {Sym(r.Asset)}");
        }

        long debt = _pools[r.Asset].ScaledToDebt(-s);
        if (r.Amount > debt)
        {
            return Reject(ErrorCode.RepayExceedsDebt, $"repay {Amt(r.Asset, r.Amount)} exceeds debt {Amt(r.Asset, debt)} {Sym(r.Asset)}");
        }

        return CreditExternal(r.Account, r.Asset, r.Amount, repayOnly: true);
    }

    /// <summary>Tokens arriving from outside: repay first, supply the rest (not for repay-only).</summary>
    private ActionResult CreditExternal(AccountKey key, int asset, long amount, bool repayOnly)
    {
        AssetPool p = _pools[asset];
        int id = Accounts.Find(key);
        if ((id >= 0 && IsProtocolAccount(id)) || key.Owner == Address.Zero)
        {
            // Every zero-owner subaccount is the protocol's (AMM 1000+m, backstop 2000+m) or unreachable: no key signs for it, so tokens sent there would be lost.
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts and zero-address subaccounts do not take deposits");
        }

        long s = id >= 0 ? Accounts.Scaled(id, asset) : 0;
        BalanceChange c = BalanceChange.Credit(p, s, amount);
        if (c.NewScaled == s)
        {
            return Reject(ErrorCode.InvalidAmount, $"{Amt(asset, amount)} {Sym(asset)} is below one scaled unit at the current index");
        }

        if (c.SupplyScaledDelta > 0 && !repayOnly)
        {
            if (p.Risk.Paused)
            {
                return Reject(ErrorCode.AssetPaused, $"{Sym(asset)} is paused: only repay, withdraw and liquidation are open");
            }

            if (p.Risk.SupplyCap > 0 && p.ScaledToSupply(checked(p.TotalScaledSupply + c.SupplyScaledDelta)) is var newSupply && newSupply > p.Risk.SupplyCap)
            {
                return Reject(ErrorCode.SupplyCapExceeded, $"{Sym(asset)} supply would reach {Amt(asset, newSupply)}, above the cap {Amt(asset, p.Risk.SupplyCap)}");
            }
        }

        if (c.Repaid > 0 && BelowMinBorrow(asset, c.NewScaled) is { } small)
        {
            return small;
        }

        long newCash = checked(p.Cash + amount);
        if (id < 0)
        {
            id = CreateAccount(key, MarginMode.Cross);
        }

        Commit(id, asset, c);
        p.Cash = newCash;
        _events.Add(new Deposited(key, asset, amount, c.Repaid));
        if (Accounts.FlaggedAt(id) != 0 && !HealthOf(id).IsLiquidatable)
        {
            SetFlag(id, 0);
        }

        return Done();
    }

    private ActionResult ApplyWithdraw(Address signer, AccountKey key, int asset, long amount, bool allowBorrow, WithdrawalDestination? dest = null)
    {
        if (!ValidAsset(asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {asset} is not listed");
        }

        if (amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        if (signer != key.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "only the owner can move funds out of a subaccount");
        }

        int id = Accounts.Find(key);
        if (id < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {key} does not exist");
        }

        if (IsProtocolAccount(id))
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts do not withdraw or borrow");
        }

        AssetPool p = _pools[asset];
        long s = Accounts.Scaled(id, asset);
        long supplied = s > 0 ? p.ScaledToSupply(s) : 0;
        if (!allowBorrow && amount > supplied)
        {
            return Reject(ErrorCode.InsufficientBalance, $"{key} has {Amt(asset, supplied)} {Sym(asset)} supplied, asked {Amt(asset, amount)}; use borrow to go negative");
        }

        if (amount > p.AvailableLiquidity)
        {
            return Reject(ErrorCode.InsufficientLiquidity, $"the {Sym(asset)} pool has {Amt(asset, p.AvailableLiquidity)} available");
        }

        BalanceChange c = BalanceChange.Debit(p, s, amount);
        if (c.Borrowed > 0)
        {
            if (!p.Risk.Borrowable)
            {
                return Reject(ErrorCode.NotBorrowable, $"{Sym(asset)} cannot be borrowed");
            }

            if (p.Risk.Paused)
            {
                return Reject(ErrorCode.AssetPaused, $"{Sym(asset)} is paused: no new borrowing");
            }

            if (p.Risk.BorrowCap > 0 && p.ScaledToDebt(checked(p.TotalScaledDebt + c.DebtScaledDelta)) is var newDebt && newDebt > p.Risk.BorrowCap)
            {
                return Reject(ErrorCode.BorrowCapExceeded, $"{Sym(asset)} borrows would reach {Amt(asset, newDebt)}, above the cap {Amt(asset, p.Risk.BorrowCap)}");
            }

            if (Accounts.ModeOf(id) == MarginMode.Isolated && OtherExposure(id, -1, asset) is { } other)
            {
                return Reject(ErrorCode.IsolatedExposureLimit, $"isolated subaccount {key} already carries {other}");
            }

            if (RequireFeeds(id, asset) is { } unavailable)
            {
                return unavailable;
            }
        }

        Health after = WhatIf(id, asset, c.NewScaled);
        if (after.InitialHealth < 0)
        {
            return Reject(ErrorCode.InitialHealthViolated, $"initial health would be {Math.DecimalString.Format(after.InitialHealth, Math.Precision.ValueDecimals)} USD");
        }

        if (RequireConservativeHealth(id, asset, c.NewScaled) is { } conservative)
        {
            return conservative;
        }

        if (c.Borrowed > 0 && BelowMinBorrow(asset, c.NewScaled) is { } small)
        {
            return small;
        }

        long newCash = checked(p.Cash - amount);
        Commit(id, asset, c);
        p.Cash = newCash;
        _events.Add(new Withdrawn(key, asset, amount, c.Borrowed));
        if (dest is { } d)
        {
            RecordWithdrawal(d, key, asset, amount);
        }

        return Done();
    }

    private ActionResult ApplyTransfer(Transfer t)
    {
        if (!ValidAsset(t.Asset))
        {
            return Reject(ErrorCode.UnknownAsset, $"asset {t.Asset} is not listed");
        }

        if (t.Amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        if (t.Signer != t.From.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "only the owner can transfer out of a subaccount");
        }

        if (t.From == t.To)
        {
            return Reject(ErrorCode.SameAccount, "source and destination are the same subaccount");
        }

        int from = Accounts.Find(t.From);
        if (from < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {t.From} does not exist");
        }

        AssetPool p = _pools[t.Asset];
        if (p.Risk.Paused)
        {
            return Reject(ErrorCode.AssetPaused, $"{Sym(t.Asset)} is paused: transfers are closed");
        }

        long s = Accounts.Scaled(from, t.Asset);
        long supplied = s > 0 ? p.ScaledToSupply(s) : 0;
        if (t.Amount > supplied)
        {
            return Reject(ErrorCode.InsufficientBalance, $"{t.From} has {Amt(t.Asset, supplied)} {Sym(t.Asset)} supplied, asked {Amt(t.Asset, t.Amount)}");
        }

        BalanceChange out1 = BalanceChange.Debit(p, s, t.Amount);
        int to = Accounts.Find(t.To);
        if ((to >= 0 && IsProtocolAccount(to)) || IsProtocolAccount(from) || t.To.Owner == Address.Zero)
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts do not send or receive transfers");
        }

        BalanceChange in1 = BalanceChange.Credit(p, to >= 0 ? Accounts.Scaled(to, t.Asset) : 0, t.Amount);
        if (in1.Repaid > 0 && BelowMinBorrow(t.Asset, in1.NewScaled) is { } small)
        {
            return small;
        }
        Health after = WhatIf(from, t.Asset, out1.NewScaled);
        if (after.InitialHealth < 0)
        {
            return Reject(ErrorCode.InitialHealthViolated, $"initial health of {t.From} would be {Math.DecimalString.Format(after.InitialHealth, Math.Precision.ValueDecimals)} USD");
        }

        if (RequireConservativeHealth(from, t.Asset, out1.NewScaled) is { } conservative)
        {
            return conservative;
        }

        if (to < 0)
        {
            to = CreateAccount(t.To, MarginMode.Cross);
        }

        Commit(from, t.Asset, out1);
        Commit(to, t.Asset, in1);
        _events.Add(new Transferred(t.From, t.To, t.Asset, t.Amount));
        return Done();
    }

    /// <summary>
    /// BELOW_MINIMUM_SIZE when a balance the action leaves behind is a debt smaller than the asset's minimum
    /// borrow (a debt is zero or at least the minimum, so every debt is worth a keeper's while); else null.
    /// </summary>
    private ActionResult? BelowMinBorrow(int asset, long newScaled)
    {
        AssetPool p = _pools[asset];
        if (newScaled >= 0 || p.Risk.MinBorrow == 0)
        {
            return null;
        }

        // With the index in [1, 4) rays a debt is at least its scaled units and, below 2^60 of them, cannot
        // overflow converting: the common case needs no conversion.
        if (-newScaled >= p.Risk.MinBorrow && -newScaled <= 1L << 60 && p.BorrowIndex >= Math.Precision.Ray && p.BorrowIndex >> 2 < Math.Precision.Ray)
        {
            return null;
        }

        long debt = p.ScaledToDebt(-newScaled);
        return debt >= p.Risk.MinBorrow ? null : Reject(ErrorCode.BelowMinimumSize, $"the {Sym(asset)} debt would be {Amt(asset, debt)}, below the minimum borrow {Amt(asset, p.Risk.MinBorrow)}; borrow at least that or repay all");
    }
}
