using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Lending;
using Solvent.Core.Math;
using Solvent.Core.Perps;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>Perpetual trading against the vAMM, position bookkeeping and settlement.</summary>
public sealed partial class Engine
{
    private readonly IFillSource _fills = new VirtualAmmFillSource();

    private bool ValidMarket(int market) => (uint)market < (uint)_markets.Length;

    /// <summary>The position with its funding settled to the market's current index (not written).</summary>
    private PositionState Settled(int id, int market, out long owed)
    {
        PerpMarket m = _markets[market];
        long size = Accounts.Size(id, market);
        Int128 snap = Accounts.FundingSnapshot(id, market);
        owed = FundingMath.Owed(size, m.FundingIndex, snap, m.BaseQuantumDecimals);
        return new PositionState(size, checked(Accounts.Quote(id, market) - owed), m.FundingIndex);
    }

    /// <summary>Writes a position, its funding settlement and the open-interest change.</summary>
    private void CommitPosition(int id, int market, in PositionState p, long owed)
    {
        PerpMarket m = TouchMarket(market);
        MarkDirty(id);
        long oldSize = Accounts.Size(id, market);
        _undoPositions.Add((id, market, oldSize, Accounts.Quote(id, market), Accounts.FundingSnapshot(id, market)));
        m.OpenInterest = checked(m.OpenInterest + System.Math.Max(0, p.Size) - System.Math.Max(0, oldSize));
        m.FundingSettled = checked(m.FundingSettled + owed);
        Accounts.SetPosition(id, market, p.Size, p.Quote, p.Snapshot);
        if (owed != 0)
        {
            _events.Add(new FundingSettled(Accounts.KeyOf(id), market, owed));
        }
    }

    /// <summary>A PnL settlement: the quote-asset balance change and the amount of position quote it moves.</summary>
    private readonly record struct PnlSettlement(BalanceChange Change, long Amount);

    /// <summary>
    /// A user position that closes to zero settles its quote (realized PnL) into the settlement asset:
    /// returns the balance change to commit, or null when nothing settles. A loss settles whole. A
    /// profit settles only as far as the market has taken in more than it paid out (−SettledPnl, less
    /// <paramref name="pending"/> already promised in this action): the vAMM's losses are paid from
    /// what the market holds — fees, insurance, settled losses — never from the lenders' cash. The rest
    /// stays in the position's quote, counted in health, and settles when the position next closes.
    /// </summary>
    private PnlSettlement? SettlementOf(int id, int market, in PositionState p, long pending = 0)
    {
        if (p.Size != 0 || p.Quote == 0 || IsProtocolAccount(id))
        {
            return null;
        }

        long amount = p.Quote > 0 ? System.Math.Min(p.Quote, System.Math.Max(0, checked(-(_markets[market].SettledPnl + pending)))) : p.Quote;
        if (amount == 0)
        {
            return null;
        }

        AssetPool q = _pools[Genesis.QuoteAsset];
        long s = Accounts.Scaled(id, Genesis.QuoteAsset);
        return new PnlSettlement(amount > 0 ? BalanceChange.Credit(q, s, amount) : BalanceChange.Debit(q, s, -amount), amount);
    }

    /// <summary>Commits a position and, if it closed, its PnL settlement.</summary>
    private void CommitWithSettlement(int id, int market, PositionState p, long owed, PnlSettlement? settle)
    {
        if (settle is { } c)
        {
            long amount = c.Amount;
            PerpMarket m = TouchMarket(market);
            AssetPool q = Touch(Genesis.QuoteAsset);
            Commit(id, Genesis.QuoteAsset, c.Change);
            m.SettledPnl = checked(m.SettledPnl + amount);
            q.PerpSettled = checked(q.PerpSettled + amount);
            _events.Add(new PnlSettled(Accounts.KeyOf(id), market, amount));
            p = p with { Quote = p.Quote - amount };
        }

        CommitPosition(id, market, p, owed);
    }

    private Health WhatIfPerp(int id, int market, in PositionState p, PnlSettlement? settle) =>
        settle is { } c ? WhatIfPerp(id, market, p with { Quote = p.Quote - c.Amount }, Genesis.QuoteAsset, c.Change.NewScaled) : WhatIfPerp(id, market, p);

    /// <summary>Whether the subaccount owes no asset (the quote asset aside, which the caller checks) and holds no position but in <paramref name="market"/>.</summary>
    private bool NoDebtNorOtherPosition(int id, int market)
    {
        ReadOnlySpan<long> balances = Accounts.Balances(id);
        for (int a = 0; a < balances.Length; a++)
        {
            if (balances[a] < 0 && a != Genesis.QuoteAsset)
            {
                return false;
            }
        }

        ReadOnlySpan<long> sizes = Accounts.Sizes(id), quotes = Accounts.Quotes(id);
        for (int i = 0; i < sizes.Length; i++)
        {
            if (i != market && (sizes[i] != 0 || quotes[i] != 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Signed value of one scaled balance, as health counts it (supply down, debt up).</summary>
    private static Int128 BalanceValue(AssetPool p, long scaled) =>
        scaled > 0 ? p.ValueOf(p.ScaledToSupply(scaled), Rounding.Down) : scaled < 0 ? -p.ValueOf(p.ScaledToDebt(-scaled), Rounding.Up) : 0;

    private static bool Reduces(long oldSize, long newSize) =>
        oldSize != 0 && (newSize == 0 || (System.Math.Sign(newSize) == System.Math.Sign(oldSize) && System.Math.Abs(newSize) < System.Math.Abs(oldSize)));

    private ActionResult ApplyOrder(PlaceOrder o)
    {
        if (!ValidMarket(o.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {o.Market} is not listed");
        }

        PerpMarket m = _markets[o.Market];
        if (o.Size == 0 || o.Size == long.MinValue)
        {
            return Reject(ErrorCode.InvalidAmount, "order size must be non-zero");
        }

        if (o.Size % m.Config.StepSize != 0)
        {
            return Reject(ErrorCode.SizeNotMultipleOfStep, $"size must be a multiple of the step {m.Config.StepSize} quantums");
        }

        if (o.WorstPrice < 0 || (o.WorstPrice > 0 && o.WorstPrice % m.Config.TickSize != 0))
        {
            return Reject(ErrorCode.InvalidPrice, $"worst price must be 0 (none) or a positive multiple of the tick {DecimalString.Format(m.Config.TickSize, Precision.PriceDecimals)}");
        }

        // The backstop unwinds what it inherits through governance-signed, reduce-only orders.
        bool backstopUnwind = o.Account == BackstopKey(o.Market) && o.Signer == Genesis.Governance && o.ReduceOnly;
        if (o.Signer != o.Account.Owner && !backstopUnwind)
        {
            return Reject(ErrorCode.Unauthorized, "only the owner can trade from a subaccount");
        }

        int id = Accounts.Find(o.Account);
        if (id < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {o.Account} does not exist");
        }

        if (IsProtocolAccount(id) && !backstopUnwind)
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts do not place orders (the backstop only unwinds, reduce-only, signed by governance)");
        }

        if (Accounts.ModeOf(id) == MarginMode.Isolated && OtherExposure(id, o.Market, -1) is { } other)
        {
            return Reject(ErrorCode.IsolatedExposureLimit, $"isolated subaccount {o.Account} already carries {other}");
        }

        PositionState pos = Settled(id, o.Market, out long owed);
        long newSize = checked(pos.Size + o.Size);
        bool reduces = Reduces(pos.Size, newSize);
        if (o.ReduceOnly && !reduces)
        {
            return Reject(ErrorCode.ReduceOnlyViolation, "a reduce-only order may not open, flip or increase a position");
        }

        // Every order is at least the minimum size unless it closes the position exactly, and no position
        // is left below it: a dust position would pay a keeper less than its gas.
        long min = MinOrderSize(m);
        if (newSize != 0 && (System.Math.Abs(o.Size) < min || System.Math.Abs(newSize) < min))
        {
            return Reject(ErrorCode.BelowMinimumSize, $"orders and positions must be 0 or at least {DecimalString.Format(min, m.BaseQuantumDecimals)} {m.Config.Symbol}; close the whole position or trade more");
        }

        if (m.Risk.Paused && !reduces)
        {
            return Reject(ErrorCode.MarketPaused, $"{m.Config.Symbol} is paused: only reducing trades are accepted");
        }

        if (!reduces && RequireFeeds(id, m.Config.BaseAsset) is { } unavailable)
        {
            return unavailable;
        }

        if (!_fills.TryFill(m, o.Size, out Fill swap))
        {
            return Reject(ErrorCode.InsufficientAmmLiquidity, $"the {m.Config.Symbol} AMM cannot fill {o.Size} quantums");
        }

        AssetPool basePool = _pools[m.Config.BaseAsset];
        long div = basePool.ValueDivisor;
        long absQuote = System.Math.Abs(swap.Quote);
        Int128 avgScaled = (Int128)absQuote * div;
        Int128 worstScaled = (Int128)o.WorstPrice * System.Math.Abs(o.Size);
        if (o.WorstPrice > 0 && (o.Size > 0 ? avgScaled > worstScaled : avgScaled < worstScaled))
        {
            long avg = (long)FullMath.Div(avgScaled, System.Math.Abs(o.Size), o.Size > 0 ? Rounding.Up : Rounding.Down);
            return Reject(ErrorCode.WorstPriceExceeded, $"average fill {DecimalString.Format(avg, Precision.PriceDecimals)} is worse than {DecimalString.Format(o.WorstPrice, Precision.PriceDecimals)}");
        }

        // The mark moves with trades alone and one owner can push it with another subaccount; the index
        // cannot be pushed by trading, so no fill strays from it by more than the band.
        if (!FillPriceBand.Contains(swap.Quote, o.Size, basePool.Price, div, m.Risk.FillPriceBand))
        {
            return Reject(ErrorCode.FillOutsidePriceBand, $"average fill {DecimalString.Format(FillPriceBand.Average(swap.Quote, o.Size, div), Precision.PriceDecimals)} is more than {DecimalString.Format(m.Risk.FillPriceBand, 4)}% from the index {DecimalString.Format(basePool.Price, Precision.PriceDecimals)}");
        }

        long fee = FullMath.MulDiv(absQuote, m.Risk.TakerFee, Precision.Ppm, Rounding.Up);
        var user = new PositionState(newSize, checked(pos.Quote - swap.Quote - fee), pos.Snapshot);
        int cp = swap.Counterparty;
        PositionState ammPos = Settled(cp, o.Market, out long ammOwed);
        var amm = new PositionState(checked(ammPos.Size - o.Size), checked(ammPos.Quote + swap.Quote), ammPos.Snapshot);

        long oi = checked(m.OpenInterest + System.Math.Max(0, user.Size) - System.Math.Max(0, pos.Size) + System.Math.Max(0, amm.Size) - System.Math.Max(0, ammPos.Size));
        if (m.Risk.OpenInterestCap > 0 && oi > m.Risk.OpenInterestCap && oi > m.OpenInterest)
        {
            return Reject(ErrorCode.OpenInterestCapExceeded, $"open interest would reach {DecimalString.Format(oi, m.BaseQuantumDecimals)}, above the cap {DecimalString.Format(m.Risk.OpenInterestCap, m.BaseQuantumDecimals)}");
        }

        PnlSettlement? settle = SettlementOf(id, o.Market, user);
        if (!reduces)
        {
            // The open-interest IMF applies to the open interest this order leaves behind.
            long oiBefore = m.OpenInterest;
            m.OpenInterest = oi;
            Health after;
            try
            {
                // A clearly healthy account reads as initial health 0: only the sign decides here.
                after = !ExactChecksOnly && ClearlyInitiallyHealthyAfter(id, o.Market, user, settle) ? default : WhatIfPerp(id, o.Market, user, settle);
            }
            finally
            {
                m.OpenInterest = oiBefore;
            }

            if (after.InitialHealth < 0)
            {
                return Reject(ErrorCode.InitialHealthViolated, $"initial health would be {DecimalString.Format(after.InitialHealth, Precision.ValueDecimals)} USD");
            }
        }
        else if (!IsProtocolAccount(id) && (ExactChecksOnly || !ClearlySolventAfter(id, o.Market, pos, owed, user, settle)))
        {
            // A reducing order skips the margin check so a position can always be cut, but it may not
            // create or deepen a bankruptcy: the loss would land on lenders or on ADL'd traders.
            // Equity needs no initial-margin fractions (the size premium's root); the order changes one
            // position and at most the quote-asset balance, so the after figure is the before one with
            // exactly those two terms swapped.
            // The change is computed first. An order that does not lower equity, or that leaves an account
            // with no debt, no other position and no loss in this one (equity after ≥ 0 by inspection of
            // signs alone), needs no valuation pass over the account.
            long pnlAfter = PerpHealth.Pnl(m, user.Size, user.Quote - (settle?.Amount ?? 0), user.Snapshot, basePool.Price, div);
            Int128 delta = (Int128)pnlAfter - PerpHealth.Pnl(m, pos.Size, pos.Quote, pos.Snapshot, basePool.Price, div);
            long quoteScaledAfter = Accounts.Scaled(id, Genesis.QuoteAsset);
            if (settle is { } c)
            {
                AssetPool q = _pools[Genesis.QuoteAsset];
                delta += BalanceValue(q, c.Change.NewScaled) - BalanceValue(q, quoteScaledAfter);
                quoteScaledAfter = c.Change.NewScaled;
            }

            bool solventBySigns = pnlAfter >= 0 && quoteScaledAfter >= 0 && NoDebtNorOtherPosition(id, o.Market);
            Int128 before = delta >= 0 || solventBySigns ? 0 : EquityOf(id);
            Int128 after = before + delta;
            if (delta < 0 && !solventBySigns && after < Int128.Min(0, before))
            {
                return Reject(ErrorCode.OrderWouldBankrupt, $"the order would take equity from {DecimalString.Format(before, Precision.ValueDecimals)} to {DecimalString.Format(after, Precision.ValueDecimals)} USD; a keeper liquidation closes it at the index instead");
            }
        }

        long newFeePool = checked(m.FeePool + fee);
        TouchMarket(o.Market);
        _fills.Commit(m, swap);
        m.FeePool = newFeePool;
        CommitWithSettlement(id, o.Market, user, owed, settle);
        CommitPosition(cp, o.Market, amm, ammOwed);
        _events.Add(new Traded(o.Account, o.Market, o.Size, swap.Quote, fee, newSize));
        return Done();
    }

    /// <summary>For isolated subaccounts: a description of an exposure other than a position in <paramref name="market"/> or a borrow of <paramref name="asset"/>, or null.</summary>
    private string? OtherExposure(int id, int market, int asset)
    {
        ReadOnlySpan<long> sizes = Accounts.Sizes(id);
        for (int i = 0; i < sizes.Length; i++)
        {
            if (i != market && sizes[i] != 0)
            {
                return _markets[i].Config.Symbol;
            }
        }

        ReadOnlySpan<long> b = Accounts.Balances(id);
        for (int a = 0; a < b.Length; a++)
        {
            if (a != asset && b[a] < 0)
            {
                return "a " + Sym(a) + " borrow";
            }
        }

        return null;
    }

    private ActionResult ApplyRepeg(RepegAmm r)
    {
        if (r.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may repeg");
        }

        if (!ValidMarket(r.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {r.Market} is not listed");
        }

        if (r.Price <= 0 || r.Price > MaxGovernancePrice)
        {
            return Reject(ErrorCode.InvalidPrice, "price must be positive and at most long.MaxValue / 1000 (as genesis initialPrice)");
        }

        PerpMarket m = _markets[r.Market];
        long peg;
        try
        {
            peg = VirtualAmm.PegFor(r.Price, m.BaseQuantumDecimals);
        }
        catch (OverflowException)
        {
            return Reject(ErrorCode.InvalidPrice, "the price's peg does not fit 64 bits at this market's base quantum");
        }

        return AdjustAmm(r.Market, m.BaseReserve, m.QuoteReserve, peg);
    }

    /// <summary>
    /// Insurance to fee pool inside one market's ledger: both are protocol buckets of the same market, so the
    /// ledger's sum and the quote asset's books are unchanged. Insurance keeps paying negative equity first:
    /// governance may move only what the fund holds.
    /// </summary>
    private ActionResult ApplyTopUpFeePool(TopUpFeePool t)
    {
        if (t.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may top up a fee pool");
        }

        if (!ValidMarket(t.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {t.Market} is not listed");
        }

        if (t.Amount <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "amount must be positive");
        }

        PerpMarket m = _markets[t.Market];
        if (t.Amount > m.Insurance)
        {
            return Reject(ErrorCode.InsufficientBalance, $"{m.Config.Symbol}'s insurance fund holds {DecimalString.Format(m.Insurance, Precision.ValueDecimals)}, less than {DecimalString.Format(t.Amount, Precision.ValueDecimals)}");
        }

        long pool;
        try
        {
            pool = checked(m.FeePool + t.Amount);
        }
        catch (OverflowException)
        {
            return Reject(ErrorCode.InvalidAmount, $"{m.Config.Symbol}'s fee pool would pass 2^63 − 1 quantums");
        }

        TouchMarket(t.Market);
        m.FeePool = pool;
        m.Insurance -= t.Amount;
        _events.Add(new FeePoolToppedUp(t.Market, t.Amount, pool, m.Insurance));
        return Done();
    }

    private ActionResult ApplyAdjustDepth(AdjustAmmDepth a)
    {
        if (a.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may resize the AMM");
        }

        if (!ValidMarket(a.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {a.Market} is not listed");
        }

        PerpMarket m = _markets[a.Market];
        if (a.BaseReserve <= 0 || a.BaseReserve > PerpRiskParams.MaxAmount)
        {
            return Reject(ErrorCode.InvalidAmount, "base reserve must be positive and at most 2^61 − 1 (as genesis ammBaseReserve)");
        }

        // Same price: scale the quote reserve by the same factor.
        UInt128 q = FullMath.MulDiv(m.QuoteReserve, (ulong)a.BaseReserve, m.BaseReserve, Rounding.Down);
        return AdjustAmm(a.Market, (ulong)a.BaseReserve, q, m.Peg);
    }

    /// <summary>
    /// Moves the AMM to new reserves/peg. Cost = what the AMM would pay to absorb the users' net position
    /// afterwards minus before; the fee pool pays it into the AMM's position (or receives a gain).
    /// </summary>
    private ActionResult AdjustAmm(int market, UInt128 b, UInt128 q, long peg)
    {
        PerpMarket m = _markets[market];
        long usersNet = -Accounts.Size(m.AmmAccount, market);
        long before = CloseCost(m.BaseReserve, m.QuoteReserve, m.Peg, usersNet);

        // Users net short close by buying from the AMM, which needs more base than that in reserve.
        if (b == 0 || q == 0 || peg <= 0 || (usersNet < 0 && (UInt128)(ulong)(-usersNet) >= b))
        {
            return Reject(ErrorCode.InvalidParameter, "the new reserves could not absorb the users' net position");
        }

        if (!Priceable(b, q, peg, m.BaseQuantumDecimals))
        {
            return Reject(ErrorCode.InvalidParameter, "the new reserves and peg would put the AMM's invariant or mark price outside the integer range");
        }

        if (usersNet < 0 && (UInt128)(ulong)(-usersNet) >= m.BaseReserve)
        {
            return Reject(ErrorCode.InvalidParameter, "the current reserves cannot price the users' net position; the adjustment cannot be costed");
        }

        long after = CloseCost(b, q, peg, usersNet);
        long cost = checked(after - before);
        if (cost > m.FeePool)
        {
            return Reject(ErrorCode.AdjustmentTooExpensive, $"the adjustment costs {DecimalString.Format(cost, Precision.ValueDecimals)}, the fee pool holds {DecimalString.Format(m.FeePool, Precision.ValueDecimals)}");
        }

        PositionState amm = Settled(m.AmmAccount, market, out long owed);
        TouchMarket(market);
        m.BaseReserve = b;
        m.QuoteReserve = q;
        m.Peg = peg;
        m.FeePool -= cost;
        CommitPosition(m.AmmAccount, market, amm with { Quote = checked(amm.Quote + cost) }, owed);
        _events.Add(new AmmAdjusted(market, peg, b, cost));
        return Done();
    }

    /// <summary>Whether reserves keep k = B·Q within 128 bits and give a mark price that fits 64 bits.</summary>
    private static bool Priceable(UInt128 b, UInt128 q, long peg, int baseQd)
    {
        if (q > UInt128.MaxValue / b)
        {
            return false;
        }

        try
        {
            return VirtualAmm.MarkPrice(b, q, peg, baseQd) >= 0;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Quote the AMM pays (positive) to take the users' net position back.</summary>
    private static long CloseCost(UInt128 b, UInt128 q, long peg, long usersNet)
    {
        if (usersNet == 0)
        {
            return 0;
        }

        return VirtualAmm.TrySwap(b, q, peg, -usersNet, out VirtualAmm.Swap s) ? -s.Quote : long.MaxValue / 4;
    }

    /// <summary>The market's minimum order and position size: its parameter, never less than one step.</summary>
    private static long MinOrderSize(PerpMarket m) => System.Math.Max(m.Risk.MinOrderSize, m.Config.StepSize);

    private ActionResult ApplyUpdateMarketRisk(UpdateMarketRisk u)
    {
        if (u.Signer != Genesis.Governance)
        {
            return Reject(ErrorCode.Unauthorized, "only governance may change market parameters");
        }

        if (!ValidMarket(u.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {u.Market} is not listed");
        }

        if (u.Risk is null)
        {
            return Reject(ErrorCode.InvalidParameter, "parameters are required");
        }

        if (u.Risk.Validate() is { } problem)
        {
            return Reject(ErrorCode.InvalidParameter, $"{problem.Field}: {problem.Message}");
        }

        if (u.Risk.MinOrderSize % _markets[u.Market].Config.StepSize != 0)
        {
            return Reject(ErrorCode.InvalidParameter, $"minOrderSize: must be a multiple of the step {_markets[u.Market].Config.StepSize} quantums");
        }

        TouchMarket(u.Market).Risk = u.Risk;
        ParameterVersion++;
        _events.Add(new ParametersUpdated("marketRisk", u.Market));
        return Done();
    }
}
