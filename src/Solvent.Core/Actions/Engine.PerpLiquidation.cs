using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Perps;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// The perpetual liquidation waterfall: keepers take partial positions at the index price with the
/// penalty in their favour; the backstop takes what keepers leave (after a delay) or any bankrupt
/// position at the bankruptcy price; the market's insurance fund pays the shortfall; what it cannot
/// pay is covered by auto-deleveraging the top-ranked opposite positions at the bankruptcy price.
/// </summary>
public sealed partial class Engine
{
    private ActionResult ApplyLiquidatePerp(LiquidatePerp l)
    {
        if (!ValidMarket(l.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {l.Market} is not listed");
        }

        if (l.Size <= 0)
        {
            return Reject(ErrorCode.InvalidAmount, "size must be positive");
        }

        if (l.Size % _markets[l.Market].Config.StepSize != 0)
        {
            return Reject(ErrorCode.SizeNotMultipleOfStep, $"size must be a multiple of the step {_markets[l.Market].Config.StepSize} quantums");
        }

        if (l.Signer != l.Liquidator.Owner)
        {
            return Reject(ErrorCode.Unauthorized, "the signer must own the liquidating subaccount");
        }

        if (l.Liquidator.Owner == l.Target.Owner)
        {
            return Reject(ErrorCode.SelfLiquidation, "an owner cannot liquidate its own subaccounts");
        }

        int tid = Accounts.Find(l.Target), lid = Accounts.Find(l.Liquidator);
        if (tid < 0 || lid < 0)
        {
            return Reject(ErrorCode.UnknownAccount, $"subaccount {(tid < 0 ? l.Target : l.Liquidator)} does not exist");
        }

        if (IsProtocolAccount(tid) || IsProtocolAccount(lid))
        {
            return Reject(ErrorCode.ProtocolAccount, "protocol accounts are liquidated only by the waterfall");
        }

        Health h = HealthOf(tid);
        if (!h.IsLiquidatable)
        {
            return Reject(ErrorCode.NotLiquidatable, $"{l.Target} has maintenance health {DecimalString.Format(h.MaintenanceHealth, Precision.ValueDecimals)} USD ≥ 0");
        }

        if (h.Equity < 0)
        {
            return Reject(ErrorCode.AccountBankrupt, $"{l.Target} has negative equity; only the backstop may take it");
        }

        PerpMarket m = _markets[l.Market];
        if (!TryOpenPosition(tid, l.Market, l.Target, out PositionState t, out long tOwed, out ActionResult noPosition))
        {
            return noPosition;
        }

        AssetPool basePool = _pools[m.Config.BaseAsset];
        long price = basePool.Price, div = basePool.ValueDivisor;
        long abs = System.Math.Abs(t.Size);
        long mmf = m.Risk.MaintenanceMarginFraction, pen = m.Risk.LiquidationPenalty, buf = PerpConfig.LiquidationBuffer;

        // Just enough to restore maintenance health ≥ buffer × the position's remaining requirement:
        // Δn ≥ (b·MR − H) / (MMF − penalty + b·MMF).
        long need = abs;
        Int128 mr = FullMath.Div((Int128)PerpHealth.AbsNotional(t.Size, price, div) * mmf, Precision.Ppm, Rounding.Up);
        Int128 denom = mmf - pen + FullMath.Div((Int128)buf * mmf, Precision.Ppm, Rounding.Down);
        if (denom > 0)
        {
            Int128 numer = (FullMath.Div(mr * buf, Precision.Ppm, Rounding.Up) - h.MaintenanceHealth) * Precision.Ppm;
            Int128 notional = FullMath.Div(numer, denom, Rounding.Up);
            Int128 size = FullMath.Div(notional * div, price, Rounding.Up);
            long step = m.Config.StepSize;
            size = FullMath.Div(size, step, Rounding.Up) * step;
            need = (long)Int128.Min(size, abs);
        }

        long take = System.Math.Min(l.Size, need);
        long left = abs - take;
        if (left > 0 && (PerpHealth.AbsNotional(left, price, div) < PerpConfig.DustNotional || left < MinOrderSize(m)))
        {
            if (l.Size < abs)
            {
                return Reject(ErrorCode.LiquidationLeavesDust, $"taking {take} quantums would leave a dust position; take all {abs}");
            }

            take = abs;
        }

        int sign = System.Math.Sign(t.Size);

        // Signed notional, floored toward −∞ like every other position value; both sides use the same number.
        long n = PerpHealth.Notional(sign * take, price, div);
        long absN = System.Math.Abs(n);

        // The penalty never exceeds the equity left (less a quantum for the notional's rounding), so a
        // keeper can never make an account bankrupt.
        long penalty = (long)Int128.Max(0, Int128.Min(FullMath.MulDiv(absN, pen, Precision.Ppm, Rounding.Up), h.Equity - 1));
        long toInsurance = FullMath.MulDiv(penalty, m.Risk.ProtocolShare, Precision.Ppm, Rounding.Up);
        var target = new PositionState(t.Size - (sign * take), checked(t.Quote + n - penalty), t.Snapshot);
        if (Accounts.ModeOf(lid) == MarginMode.Isolated && OtherExposure(lid, l.Market, -1) is { } other)
        {
            return Reject(ErrorCode.IsolatedExposureLimit, $"isolated subaccount {l.Liquidator} already carries {other}");
        }

        PositionState k = Settled(lid, l.Market, out long kOwed);
        var keeper = new PositionState(checked(k.Size + (sign * take)), checked(k.Quote - n + penalty - toInsurance), k.Snapshot);

        PnlSettlement? tSettle = SettlementOf(tid, l.Market, target);
        PnlSettlement? kSettle = SettlementOf(lid, l.Market, keeper, tSettle?.Amount ?? 0);
        if (!Reduces(k.Size, keeper.Size))
        {
            Health kh = WhatIfPerp(lid, l.Market, keeper, kSettle);
            if (kh.InitialHealth < 0)
            {
                return Reject(ErrorCode.LiquidatorUnhealthy, $"{l.Liquidator} lacks the margin to take {take} quantums");
            }
        }

        long newInsurance = checked(m.Insurance + toInsurance);
        CommitWithSettlement(tid, l.Market, target, tOwed, tSettle);
        CommitWithSettlement(lid, l.Market, keeper, kOwed, kSettle);
        m.Insurance = newInsurance;
        _events.Add(new PerpLiquidated(l.Liquidator, l.Target, l.Market, sign * take, absN, penalty, toInsurance));
        if (!HealthOf(tid).IsLiquidatable)
        {
            SetFlag(tid, 0);
        }

        return Done();
    }

    /// <summary>The target's open position in a market with funding settled (not written), or a NO_POSITION rejection.</summary>
    private bool TryOpenPosition(int id, int market, AccountKey key, out PositionState position, out long owed, out ActionResult rejection)
    {
        position = Settled(id, market, out owed);
        rejection = position.Size == 0 ? Reject(ErrorCode.NoPosition, $"{key} has no {_markets[market].Config.Symbol} position") : default;
        return position.Size != 0;
    }

    private ActionResult ApplyFlag(FlagLiquidatable f)
    {
        int id = Accounts.Find(f.Target);
        if (id < 0 || IsProtocolAccount(id))
        {
            return Reject(id < 0 ? ErrorCode.UnknownAccount : ErrorCode.ProtocolAccount, $"cannot flag {f.Target}");
        }

        if (!HealthOf(id).IsLiquidatable)
        {
            if (Accounts.FlaggedAt(id) == 0)
            {
                return Reject(ErrorCode.NotLiquidatable, $"{f.Target} is not liquidatable");
            }

            // A recovered account loses its stale flag, so a later episode starts its delay afresh.
            SetFlag(id, 0);
            _events.Add(new AccountFlagged(f.Target, 0));
            return Done();
        }

        // A flag older than its validity window may date from an earlier episode the account recovered
        // from through prices alone; it restarts, so a new episode always waits the full delay.
        if (Accounts.FlaggedAt(id) == 0 || FlagExpired(id))
        {
            SetFlag(id, System.Math.Max(1, Height));
            _events.Add(new AccountFlagged(f.Target, Accounts.FlaggedAt(id)));
        }

        return Done();
    }

    /// <summary>Blocks a flag stays usable by the backstop: ten delays (at least 100 blocks); keepers re-flag accounts that stay liquidatable.</summary>
    private long FlagValidityBlocks => System.Math.Max(100, 10 * PerpConfig.BackstopDelayBlocks);

    private bool FlagExpired(int id) => Accounts.FlaggedAt(id) != 0 && Height - Accounts.FlaggedAt(id) > FlagValidityBlocks;

    private ActionResult ApplyBackstop(BackstopLiquidate b)
    {
        if (!ValidMarket(b.Market))
        {
            return Reject(ErrorCode.UnknownMarket, $"market {b.Market} is not listed");
        }

        int tid = Accounts.Find(b.Target);
        if (tid < 0 || IsProtocolAccount(tid))
        {
            return Reject(tid < 0 ? ErrorCode.UnknownAccount : ErrorCode.ProtocolAccount, $"cannot backstop {b.Target}");
        }

        Health h = HealthOf(tid);
        if (!h.IsLiquidatable)
        {
            return Reject(ErrorCode.NotLiquidatable, $"{b.Target} is not liquidatable");
        }

        bool bankrupt = h.Equity < 0;
        long flagged = Accounts.FlaggedAt(tid);
        if (!bankrupt && (flagged == 0 || Height - flagged < PerpConfig.BackstopDelayBlocks || FlagExpired(tid)))
        {
            return Reject(ErrorCode.BackstopNotYet, $"{b.Target} must be bankrupt or flagged for {PerpConfig.BackstopDelayBlocks} blocks");
        }

        PerpMarket m = _markets[b.Market];
        if (!TryOpenPosition(tid, b.Market, b.Target, out PositionState t, out long tOwed, out ActionResult noPosition))
        {
            return noPosition;
        }

        AssetPool basePool = _pools[m.Config.BaseAsset];
        long n = PerpHealth.Notional(t.Size, basePool.Price, basePool.ValueDivisor);
        long abs = System.Math.Abs(t.Size);
        int sign = System.Math.Sign(t.Size);
        int bid = m.BackstopAccount;
        PositionState bk = Settled(bid, b.Market, out long bOwed);

        if (!bankrupt)
        {
            // Delay path: the backstop takes the whole position at the index price; the penalty (never
            // more than the equity left) goes to the insurance fund that owns the backstop.
            long penalty = Int128.Min(FullMath.MulDiv(System.Math.Abs(n), m.Risk.LiquidationPenalty, Precision.Ppm, Rounding.Up), h.Equity) is var p && p > 0 ? (long)p : 0;
            var target = new PositionState(0, checked(t.Quote + n - penalty), t.Snapshot);
            PnlSettlement? settle = SettlementOf(tid, b.Market, target);
            long ins = checked(m.Insurance + penalty);
            CommitWithSettlement(tid, b.Market, target, tOwed, settle);
            CommitPosition(bid, b.Market, new PositionState(checked(bk.Size + t.Size), checked(bk.Quote - n), bk.Snapshot), bOwed);
            m.Insurance = ins;
            _events.Add(new BackstopTakeover(b.Target, b.Market, t.Size, n, 0, 0));
            SetFlag(tid, 0);
            return Done();
        }

        // Bankruptcy: close at the price that leaves equity exactly zero. Whoever takes the position
        // pays the target N + S; the takers' loss against the index is the shortfall S.
        // This market carries only its own position's loss; the rest of a negative equity is another
        // market's or the lending waterfall's, not this market's traders'.
        long pnl = PerpHealth.Pnl(m, t.Size, t.Quote, t.Snapshot, basePool.Price, basePool.ValueDivisor);
        long shortfall = (long)Int128.Min(-h.Equity, System.Math.Max(0, -pnl));
        long transfer = checked(n + shortfall);
        long step = m.Config.StepSize;
        long covered = System.Math.Min(shortfall, m.Insurance);
        long backstopSize = covered == shortfall ? abs : (long)FullMath.Div((Int128)abs * covered, shortfall, Rounding.Down) / step * step;
        long backstopQuote = backstopSize == abs ? transfer : (long)FundingMath.FloorDiv((Int128)transfer * backstopSize, abs);

        // The fund pays the backstop exactly its loss against the index on what it took.
        long paid = backstopSize == 0 ? 0 : System.Math.Clamp(backstopQuote - PerpHealth.Notional(sign * backstopSize, basePool.Price, basePool.ValueDivisor), 0, covered);

        var tgt = new PositionState(0, checked(t.Quote + transfer), t.Snapshot);
        PnlSettlement? tSettle = SettlementOf(tid, b.Market, tgt);
        CommitWithSettlement(tid, b.Market, tgt, tOwed, tSettle);
        if (backstopSize > 0)
        {
            var nb = new PositionState(checked(bk.Size + (sign * backstopSize)), checked(bk.Quote - backstopQuote + paid), bk.Snapshot);
            CommitPosition(bid, b.Market, nb, bOwed);
            m.Insurance -= paid;
        }

        _events.Add(new BackstopTakeover(b.Target, b.Market, sign * backstopSize, backstopQuote, shortfall, paid));
        long rest = abs - backstopSize;
        if (rest > 0)
        {
            Deleverage(b.Market, tid, sign, rest, transfer - backstopQuote);
        }

        SetFlag(tid, 0);
        RealizeBadDebtIfBankrupt(tid);
        return Done();
    }

    /// <summary>
    /// Gives <paramref name="size"/> of a bankrupt position (sign <paramref name="sign"/>) to opposite
    /// positions in rank order (Binance/Hyperliquid: PnL% × margin ratio, highest first), each paying
    /// its share of <paramref name="quote"/>, so together they absorb exactly the uncovered shortfall.
    /// </summary>
    private void Deleverage(int market, int targetId, int sign, long size, long quote)
    {
        PerpMarket m = _markets[market];
        AssetPool basePool = _pools[m.Config.BaseAsset];
        var ranked = new List<(U256 Rank, int Id)>();
        for (int id = 0; id < Accounts.Count; id++)
        {
            long s = Accounts.Size(id, market);
            if (id == targetId || IsProtocolAccount(id) || s == 0 || System.Math.Sign(s) == sign)
            {
                continue;
            }

            ranked.Add((AdlRank(id, market, basePool), id));
        }

        // Highest rank first, ties by id; the AMM, counterparty of last resort, after everyone.
        ranked.Sort((x, y) => U256.Compare(y.Rank, x.Rank) is var c && c != 0 ? c : x.Id.CompareTo(y.Id));
        ranked.Add((default, m.AmmAccount));
        long left = size, quoteLeft = quote;
        foreach ((U256 _, int id) in ranked)
        {
            if (left == 0)
            {
                break;
            }

            PositionState p = Settled(id, market, out long owed);
            long take = id == m.AmmAccount ? left : System.Math.Min(left, System.Math.Abs(p.Size));

            long q = take == left ? quoteLeft : (long)FundingMath.FloorDiv((Int128)quote * take, size);
            var np = new PositionState(checked(p.Size + (sign * take)), checked(p.Quote - q), p.Snapshot);
            CommitWithSettlement(id, market, np, owed, SettlementOf(id, market, np));
            _events.Add(new AutoDeleveraged(Accounts.KeyOf(id), Accounts.KeyOf(targetId), market, sign * take, q));
            left -= take;
            quoteLeft -= q;
        }
    }

    /// <summary>Unweighted equity: balances at oracle value plus every position's PnL (cheaper than full health).</summary>
    private Int128 EquityOf(int id)
    {
        Int128 equity = 0;
        ReadOnlySpan<long> b = Accounts.Balances(id);
        for (int a = 0; a < b.Length; a++)
        {
            if (b[a] != 0)
            {
                equity += BalanceValue(_pools[a], b[a]);
            }
        }

        ReadOnlySpan<long> sizes = Accounts.Sizes(id);
        for (int i = 0; i < sizes.Length; i++)
        {
            long q = Accounts.Quote(id, i);
            if (sizes[i] != 0 || q != 0)
            {
                AssetPool bp = _pools[_markets[i].Config.BaseAsset];
                equity += PerpHealth.Pnl(_markets[i], sizes[i], q, Accounts.FundingSnapshot(id, i), bp.Price, bp.ValueDivisor);
            }
        }

        return equity;
    }

    /// <summary>
    /// ADL rank: max(0, uPnL)/equity × maintenance requirement/equity = ⌊uPnL · MR · 1e18 / equity²⌋, 0 when
    /// the PnL or the equity is not positive. Exact in 256 bits (uPnL and MR are below 2^63, equity below
    /// 2^127), so no account — not even one with a quantum of equity against a large PnL — can make the
    /// ranking overflow and block the backstop.
    /// </summary>
    private U256 AdlRank(int id, int market, AssetPool basePool)
    {
        PerpMarket m = _markets[market];
        long size = Accounts.Size(id, market);
        long pnl = PerpHealth.Pnl(m, size, Accounts.Quote(id, market), Accounts.FundingSnapshot(id, market), basePool.Price, basePool.ValueDivisor);
        if (pnl <= 0)
        {
            return default;
        }

        Int128 equity = EquityOf(id);
        if (equity <= 0)
        {
            return default;
        }

        long mm = FullMath.MulDiv(PerpHealth.AbsNotional(size, basePool.Price, basePool.ValueDivisor), m.Risk.MaintenanceMarginFraction, Precision.Ppm, Rounding.Up);
        return AdlRankOf(pnl, mm, (UInt128)equity);
    }

    /// <summary>⌊pnl · mm · 1e18 / equity²⌋ in 256 bits (⌊⌊x/e⌋/e⌋ = ⌊x/e²⌋ for positive integers).</summary>
    internal static U256 AdlRankOf(long pnl, long mm, UInt128 equity)
    {
        U256 num = U256.Multiply((UInt128)(ulong)pnl * (ulong)mm, 1_000_000_000_000_000_000UL);
        if ((equity >> 64) == 0)
        {
            return num.DivRem((ulong)equity, out _).DivRem((ulong)equity, out _);
        }

        // equity ≥ 2^64: num < 2^186, so num / equity < 2^122 fits 128 bits.
        UInt128 rank = num.DivRem(equity, out _) / equity;
        return new U256(U256.Lo(rank), U256.Lo(rank >> 64), 0, 0);
    }
}
