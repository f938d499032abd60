using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Lending;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>Lending liquidation and the bad-debt waterfall (insurance fund, then supplier haircut).</summary>
public sealed partial class Engine
{
    private ActionResult ApplyLiquidate(Liquidate l)
    {
        if (!ValidAsset(l.DebtAsset) || !ValidAsset(l.CollateralAsset))
        {
            return Reject(ErrorCode.UnknownAsset, "debt or collateral asset is not listed");
        }

        if (l.RepayAmount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "repay amount must be positive");
        }

        if (l.Signer != l.Liquidator.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "the signer must own the liquidating subaccount");
        }

        if (l.Liquidator.Owner == l.Target.Owner)
        {
            return Reject(ErrorCode.SelfLiquidation, "an owner cannot liquidate its own subaccounts");
        }

        int tid = Accounts.Find(l.Target);
        int lid = Accounts.Find(l.Liquidator);
        if (tid < 0 || lid < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {(tid < 0 ? l.Target : l.Liquidator)} does not exist");
        }

        if (IsProtocolAccount(tid) || IsProtocolAccount(lid))
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts neither liquidate nor are liquidated by keepers");
        }

        Health h = HealthOf(tid);
        if (!h.IsLiquidatable)
        {
            return Reject(ErrorCode.NotLiquidatable, $"{l.Target} has maintenance health {DecimalString.Format(h.MaintenanceHealth, Precision.ValueDecimals)} USD ≥ 0");
        }

        AssetPool dp = _pools[l.DebtAsset], cp = _pools[l.CollateralAsset];
        long sd = Accounts.Scaled(tid, l.DebtAsset);
        long sc = Accounts.Scaled(tid, l.CollateralAsset);
        if (sd >= 0)
        {
            return Reject(ErrorCode.NoDebt, $"{l.Target} owes no {Sym(l.DebtAsset)}");
        }

        if (sc <= 0)
        {
            return Reject(ErrorCode.NoCollateral, $"{l.Target} holds no {Sym(l.CollateralAsset)}");
        }

        long debt = dp.ScaledToDebt(-sd);
        long coll = cp.ScaledToSupply(sc);
        long penalty = cp.Risk.LiquidationPenalty;

        // Close factor (Aave v3): half the debt while HF > 0.95, all of it below.
        bool partial = h.HealthFactorWad is { } hf && hf > Liquidation.FullCloseHealthFactor;
        long maxRepay = partial ? FullMath.MulDiv(debt, Liquidation.CloseFactor, Precision.Ppm, Rounding.Up) : debt;
        if (partial && cp.Risk.Collateral)
        {
            // Never more than it takes to restore the health target.
            Int128? need = LiquidationMath.ValueToReachTarget(
                h.MaintenanceCollateral, h.MaintenanceLiabilities, Liquidation.HealthTarget,
                dp.Risk.MaintenanceLiabilityWeight, cp.Risk.MaintenanceAssetWeight, penalty);
            if (need is { } v)
            {
                maxRepay = System.Math.Clamp(LiquidationMath.AmountForValue(dp, v), 1, maxRepay);
            }
        }

        long repay = System.Math.Min(l.RepayAmount, maxRepay);
        long remaining = debt - repay;
        if (remaining > 0 && (dp.ValueOf(remaining, Rounding.Down) < Liquidation.DustThreshold || remaining < dp.Risk.MinBorrow))
        {
            if (l.RepayAmount < debt)
            {
                return Reject(ErrorCode.LiquidationLeavesDust, $"repaying {Amt(l.DebtAsset, repay)} would leave {Amt(l.DebtAsset, remaining)} {Sym(l.DebtAsset)}, below the dust threshold; repay all {Amt(l.DebtAsset, debt)}");
            }

            repay = debt;
        }

        long seizeBase = LiquidationMath.CollateralFor(dp, cp, repay);

        // Compared before adding the bonus: against near-worthless collateral the seizure can exceed any balance, and it caps below.
        long seize = seizeBase > coll ? long.MaxValue : FullMath.MulDiv(seizeBase, Precision.Ppm + penalty, Precision.Ppm, Rounding.Down);
        if (seize > coll)
        {
            // Collateral runs out first: take all of it, repay only what it covers.
            seize = coll;
            repay = LiquidationMath.RepayFor(dp, cp, coll, penalty);
            // Base rounded down makes the bonus (and the fund's ceiling share of it) the larger side.
            seizeBase = FullMath.MulDiv(coll, Precision.Ppm, Precision.Ppm + penalty, Rounding.Down);
            if (repay <= 0)
            {
                return Reject(ErrorCode.NoCollateral, $"{l.Target}'s {Sym(l.CollateralAsset)} is worth less than one unit of {Sym(l.DebtAsset)}");
            }
        }

        long bonus = seize - seizeBase;
        long toInsurance = FullMath.MulDiv(bonus, cp.Risk.ProtocolShare, Precision.Ppm, Rounding.Up);
        long toLiquidator = seize - toInsurance;

        long ld = Accounts.Scaled(lid, l.DebtAsset);
        long liquidatorFunds = ld > 0 ? dp.ScaledToSupply(ld) : 0;
        if (liquidatorFunds < repay)
        {
            return Reject(ErrorCode.InsufficientBalance, $"{l.Liquidator} has {Amt(l.DebtAsset, liquidatorFunds)} {Sym(l.DebtAsset)}, needs {Amt(l.DebtAsset, repay)}");
        }

        BalanceChange liqPays = BalanceChange.Debit(dp, ld, repay);
        BalanceChange liqGets = BalanceChange.Credit(cp, Accounts.Scaled(lid, l.CollateralAsset), toLiquidator);
        BalanceChange tgtRepaid = BalanceChange.Credit(dp, sd, repay);
        BalanceChange tgtSeized = BalanceChange.Debit(cp, sc, seize);
        Health liqAfter = WhatIf(lid, l.DebtAsset, liqPays.NewScaled, l.CollateralAsset, liqGets.NewScaled);
        if (liqAfter.InitialHealth < 0)
        {
            return Reject(ErrorCode.LiquidatorUnhealthy, $"{l.Liquidator} would fall below initial health");
        }

        long newInsurance = checked(cp.Insurance + toInsurance);
        Commit(lid, l.DebtAsset, liqPays);
        Commit(lid, l.CollateralAsset, liqGets);
        Commit(tid, l.DebtAsset, tgtRepaid);
        Commit(tid, l.CollateralAsset, tgtSeized);
        cp.Insurance = newInsurance;
        _events.Add(new Liquidated(l.Liquidator, l.Target, l.DebtAsset, repay, l.CollateralAsset, seize, toLiquidator, toInsurance) { Penalty = bonus });
        RealizeBadDebtIfBankrupt(tid);
        return Done();
    }

    /// <summary>
    /// When a subaccount has debt but nothing positive left, its debt is written off: per asset, the
    /// insurance fund pays first and suppliers absorb the rest through a lower supply index.
    /// </summary>
    private void RealizeBadDebtIfBankrupt(int id)
    {
        // Open positions (or unsettled PnL) are still assets or liabilities: the perp waterfall goes first.
        foreach (long size in Accounts.Sizes(id))
        {
            if (size != 0)
            {
                return;
            }
        }

        foreach (long quote in Accounts.Quotes(id))
        {
            if (quote != 0)
            {
                return;
            }
        }

        ReadOnlySpan<long> b = Accounts.Balances(id);
        bool hasDebt = false;
        for (int a = 0; a < b.Length; a++)
        {
            if (b[a] > 0)
            {
                return;
            }

            hasDebt |= b[a] < 0;
        }

        if (!hasDebt)
        {
            return;
        }

        AccountKey key = Accounts.KeyOf(id);
        for (int a = 0; a < _pools.Length; a++)
        {
            long s = Accounts.Scaled(id, a);
            if (s >= 0)
            {
                continue;
            }

            AssetPool p = Touch(a);
            long amount = p.ScaledToDebt(-s);
            Commit(id, a, new BalanceChange(0, 0, s, 0, 0));
            p.BadDebt = checked(p.BadDebt + amount);
            _events.Add(new BadDebtRealized(key, a, amount));

            long cover = System.Math.Min(p.Insurance, p.BadDebt);
            if (cover > 0)
            {
                p.Insurance -= cover;
                p.BadDebt -= cover;
                _events.Add(new InsuranceCovered(a, cover, p.Insurance));
            }

            Socialize(a, p);
        }
    }

    private void Socialize(int asset, AssetPool p)
    {
        long supply = p.SupplyClaims;
        long loss = System.Math.Min(p.BadDebt, supply - 1);
        if (loss <= 0)
        {
            return;
        }

        // Round the new index down: suppliers absorb the loss, never the books.
        UInt128 old = p.SupplyIndex;
        UInt128 next = FullMath.MulDiv(old, (ulong)(supply - loss), (ulong)supply, Rounding.Down);
        if (next == 0)
        {
            return;
        }

        p.SupplyIndex = next;
        p.BadDebt -= loss;
        _events.Add(new LossSocialized(asset, loss, old, next));
    }
}
