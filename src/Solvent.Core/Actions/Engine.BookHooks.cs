using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Perps;
using Solvent.Core.Perps.Book;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// The margin door of order-book fills: each fill is a trade between taker and maker accounts, priced at
/// the maker's price, bounded by the oracle band, charged taker and maker fees into the market's fee
/// pool, and applied through the same position commit the vAMM fills use. <see cref="BookCheck"/> computes
/// a fill completely (it is the only place that can overflow or refuse); <see cref="BookFilled"/> only
/// writes what it computed.
/// </summary>
public sealed partial class Engine
{
    private int _bookMarket;
    private PositionState _pendTaker, _pendMaker;
    private long _pendTakerOwed, _pendMakerOwed, _pendTakerFee, _pendMakerFee, _pendQuote, _pendBase, _pendOi;
    private int[] _previewIds = new int[16];
    private long[] _previewSize = new long[16], _previewQuote = new long[16];
    private int _previewCount;
    private long _previewOi;

    /// <summary>The hooks the market's book calls; a struct so calls are direct.</summary>
    private readonly struct BookHooks(Engine e) : IMatchHooks
    {
        public long Position(int owner) => e.BookPosition(owner);

        public FillCheck Check(int taker, int maker, OrderSide takerSide, long price, long size) => e.BookCheck(taker, maker, takerSide, price, size);

        public void Preview(int taker, int maker, OrderSide takerSide, long price, long size) => e.BookPreview(taker, maker);

        public void EndPreview() => e.BookEndPreview();

        public void Filled(in BookFill fill) => e.BookFilled(fill);

        public void Removed(long orderId, int owner, RemovalReason reason) =>
            e._events.Add(new BookOrderRemoved(e.Accounts.KeyOf(owner), e._bookMarket, orderId, reason));
    }

    /// <summary>The position in whole steps toward zero (a position off the step grid reduces only to the grid).</summary>
    private long BookPosition(int id) => Accounts.Size(id, _bookMarket) / _markets[_bookMarket].Config.StepSize;

    /// <summary>A position as settled now plus whatever a fill-or-kill walk has previewed for it.</summary>
    private PositionState PreviewedPosition(int id, out long owed)
    {
        PositionState p = Settled(id, _bookMarket, out owed);
        for (int i = 0; i < _previewCount; i++)
        {
            if (_previewIds[i] == id)
            {
                return new PositionState(checked(p.Size + _previewSize[i]), checked(p.Quote + _previewQuote[i]), p.Snapshot);
            }
        }

        return p;
    }

    private FillCheck BookCheck(int taker, int maker, OrderSide side, long priceTicks, long sizeSteps)
    {
        PerpMarket m = _markets[_bookMarket];
        AssetPool basePool = _pools[m.Config.BaseAsset];
        long div = basePool.ValueDivisor;
        try
        {
            long price = checked(priceTicks * m.Config.TickSize);
            long size = checked(sizeSteps * m.Config.StepSize);
            long d = side == OrderSide.Buy ? size : -size;

            // Notional in quote quantums, rounded up: the buyer pays the odd unit, so neither side's
            // position is credited more than the other is charged.
            long notional = (long)FullMath.Div((Int128)price * size, div, Rounding.Up);
            long q = side == OrderSide.Buy ? notional : -notional;
            if (!FillPriceBand.Contains(q, d, basePool.Price, div, m.Risk.FillPriceBand))
            {
                return FillCheck.StopTaker;
            }

            // Fees round in the protocol's favour: charges up, a maker rebate down, and the rebate is at
            // most the taker fee (genesis bound), so every fill adds to the fee pool.
            long takerFee = FullMath.MulDiv(notional, m.Risk.TakerFee, Precision.Ppm, Rounding.Up);
            long makerFee = m.Config.MakerFee >= 0
                ? FullMath.MulDiv(notional, m.Config.MakerFee, Precision.Ppm, Rounding.Up)
                : -FullMath.MulDiv(notional, -m.Config.MakerFee, Precision.Ppm, Rounding.Down);
            PositionState t = PreviewedPosition(taker, out long tOwed), mk = PreviewedPosition(maker, out long mOwed);
            var tNew = new PositionState(checked(t.Size + d), checked(t.Quote - q - takerFee), t.Snapshot);
            var mNew = new PositionState(checked(mk.Size - d), checked(mk.Quote + q - makerFee), mk.Snapshot);
            long oiBefore = checked(m.OpenInterest + _previewOi);
            long oi = checked(oiBefore + System.Math.Max(0, tNew.Size) - System.Math.Max(0, t.Size) + System.Math.Max(0, mNew.Size) - System.Math.Max(0, mk.Size));
            if (!CanCarry(maker, mk, mNew, oi))
            {
                return FillCheck.RemoveMaker;
            }

            if (!CanCarry(taker, t, tNew, oi) || (m.Risk.OpenInterestCap > 0 && oi > m.Risk.OpenInterestCap && oi > oiBefore))
            {
                return FillCheck.StopTaker;
            }

            (_pendTaker, _pendMaker, _pendTakerOwed, _pendMakerOwed) = (tNew, mNew, tOwed, mOwed);
            (_pendTakerFee, _pendMakerFee, _pendQuote, _pendBase, _pendOi) = (takerFee, makerFee, q, d, oi);
            _ = checked(m.FeePool + takerFee + makerFee);
            return FillCheck.Fill;
        }
        catch (OverflowException)
        {
            // A fill the integer range cannot carry is one the taker cannot make; nothing was written.
            return FillCheck.StopTaker;
        }
    }

    /// <summary>
    /// Whether an account can carry a fill: one that opens or adds to a position must leave initial health
    /// ≥ 0 (judged at the open interest the fill leaves, as the open-interest IMF asks); one that only
    /// reduces may not take equity below zero, or lower it when already below.
    /// </summary>
    private bool CanCarry(int id, in PositionState before, in PositionState after, long oi)
    {
        PerpMarket m = _markets[_bookMarket];
        if (Reduces(before.Size, after.Size))
        {
            Int128 equityAfter = WhatIfPerp(id, _bookMarket, after).Equity;
            return equityAfter >= 0 || equityAfter >= WhatIfPerp(id, _bookMarket, before).Equity;
        }

        long saved = m.OpenInterest;
        m.OpenInterest = oi;
        try
        {
            return WhatIfPerp(id, _bookMarket, after).InitialHealth >= 0;
        }
        finally
        {
            m.OpenInterest = saved;
        }
    }

    private void BookPreview(int taker, int maker)
    {
        PositionState t = PreviewedPosition(taker, out _), mk = PreviewedPosition(maker, out _);
        AddPreview(taker, _pendTaker.Size - t.Size, _pendTaker.Quote - t.Quote);
        AddPreview(maker, _pendMaker.Size - mk.Size, _pendMaker.Quote - mk.Quote);
        _previewOi = _pendOi - _markets[_bookMarket].OpenInterest;
    }

    private void AddPreview(int id, long size, long quote)
    {
        for (int i = 0; i < _previewCount; i++)
        {
            if (_previewIds[i] == id)
            {
                _previewSize[i] += size;
                _previewQuote[i] += quote;
                return;
            }
        }

        if (_previewCount == _previewIds.Length)
        {
            Array.Resize(ref _previewIds, _previewCount * 2);
            Array.Resize(ref _previewSize, _previewCount * 2);
            Array.Resize(ref _previewQuote, _previewCount * 2);
        }

        _previewIds[_previewCount] = id;
        _previewSize[_previewCount] = size;
        _previewQuote[_previewCount++] = quote;
    }

    private void BookEndPreview()
    {
        _previewCount = 0;
        _previewOi = 0;
    }

    private void BookFilled(in BookFill f)
    {
        PerpMarket m = TouchMarket(_bookMarket);
        m.FeePool += _pendTakerFee + _pendMakerFee;
        CommitPosition(f.Taker, _bookMarket, _pendTaker, _pendTakerOwed);
        CommitPosition(f.Maker, _bookMarket, _pendMaker, _pendMakerOwed);
        _events.Add(new Traded(Accounts.KeyOf(f.Taker), _bookMarket, _pendBase, _pendQuote, _pendTakerFee, _pendTaker.Size));
        _events.Add(new Traded(Accounts.KeyOf(f.Maker), _bookMarket, -_pendBase, -_pendQuote, _pendMakerFee, _pendMaker.Size));
    }
}
