using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Lending;

/// <summary>
/// The effect of crediting or debiting an amount on one signed scaled balance, computed without
/// writing: the new scaled balance, the pool aggregates' deltas, and how much debt was repaid or
/// created. Scaling rounds in the protocol's favour: credits scale down, debits scale up.
/// </summary>
public readonly record struct BalanceChange(long NewScaled, long SupplyScaledDelta, long DebtScaledDelta, long Repaid, long Borrowed)
{
    /// <summary>Credit <paramref name="amount"/> (&gt; 0): repay debt first, supply the rest.</summary>
    public static BalanceChange Credit(AssetPool p, long scaled, long amount)
    {
        if (scaled < 0)
        {
            long debt = p.ScaledToDebt(-scaled);
            if (amount < debt)
            {
                long reduce = p.DebtToScaled(amount, Rounding.Down);
                return new BalanceChange(scaled + reduce, 0, -reduce, amount, 0);
            }

            long rest = amount - debt;
            long add = rest > 0 ? p.SupplyToScaled(rest, Rounding.Down) : 0;
            return new BalanceChange(add, add, scaled, debt, 0);
        }

        long more = p.SupplyToScaled(amount, Rounding.Down);
        return new BalanceChange(checked(scaled + more), more, 0, 0, 0);
    }

    /// <summary>Debit <paramref name="amount"/> (&gt; 0): consume supply first, borrow the rest.</summary>
    public static BalanceChange Debit(AssetPool p, long scaled, long amount)
    {
        if (scaled > 0)
        {
            long supply = p.ScaledToSupply(scaled);
            if (amount < supply)
            {
                long remove = p.SupplyToScaled(amount, Rounding.Up);
                return new BalanceChange(scaled - remove, -remove, 0, 0, 0);
            }

            long rest = amount - supply;
            long add = rest > 0 ? p.DebtToScaled(rest, Rounding.Up) : 0;
            return new BalanceChange(-add, -scaled, add, 0, rest);
        }

        long more = p.DebtToScaled(amount, Rounding.Up);
        return new BalanceChange(checked(scaled - more), 0, more, 0, amount);
    }
}
