using Solvent.Core.Math;
using Solvent.Core.Perps;
using Solvent.Core.State;

namespace Solvent.Core.Risk;

/// <summary>
/// A perpetual position's contribution to health at the index price: unrealized PnL (with unsettled
/// funding) as quote collateral (positive PnL weighted) or liability, plus the margin requirement
/// |size| × index × fraction. For initial health the PnL is taken at the base asset's initial prices
/// (min/max of oracle and stable price, whichever is worse for the position). Values in USD × 1e6;
/// every rounding against the account.
/// </summary>
public static class PerpHealth
{
    /// <summary>Signed notional size × price, rounded toward negative infinity.</summary>
    public static long Notional(long size, long price, long valueDivisor) =>
        checked((long)FundingMath.FloorDiv((Int128)size * price, valueDivisor));

    /// <summary>|size| × price, rounded up (for requirements).</summary>
    public static long AbsNotional(long size, long price, long valueDivisor) =>
        checked((long)FullMath.Div((Int128)System.Math.Abs(size) * price, valueDivisor, Rounding.Up));

    /// <summary>Unrealized PnL including funding not yet settled.</summary>
    public static long Pnl(PerpMarket m, long size, long quote, Int128 fundingSnapshot, long price, long valueDivisor) =>
        checked(Notional(size, price, valueDivisor) + quote - FundingMath.Owed(size, m.FundingIndex, fundingSnapshot, m.BaseQuantumDecimals));

    /// <summary>Effective initial margin fraction of a position: the larger of the OI-scaled and the size-premium fraction.</summary>
    public static long InitialFraction(PerpMarket m, long size, long price, long valueDivisor)
    {
        long oiNotional = AbsNotional(m.OpenInterest, price, valueDivisor);
        long oimf = MarginMath.OpenInterestImf(m.Risk.InitialMarginFraction, oiNotional, m.Risk.OpenInterestLower, m.Risk.OpenInterestUpper);
        long sized = MarginMath.SizePremiumFraction(m.Risk.InitialMarginFraction, System.Math.Abs(size), m.BaseQuantumDecimals, m.Risk.ImfFactor);
        return System.Math.Max(oimf, sized);
    }

    /// <summary>
    /// Adds every position of an account to lending health. With <paramref name="maintenanceOnly"/>
    /// the initial figures are left unreliable (skips the open-interest and size-premium fractions):
    /// for scans that only ask "liquidatable?".
    /// </summary>
    public static Health Add(in Health lending, ReadOnlySpan<long> sizes, ReadOnlySpan<long> quotes, ReadOnlySpan<Int128> snaps, PerpMarket[] markets, AssetPool[] pools, bool maintenanceOnly = false)
    {
        Int128 cv = lending.CollateralValue, dv = lending.DebtValue;
        Int128 ic = lending.InitialCollateral, il = lending.InitialLiabilities;
        Int128 mc = lending.MaintenanceCollateral, ml = lending.MaintenanceLiabilities;
        for (int i = 0; i < sizes.Length; i++)
        {
            long size = sizes[i];
            long quote = quotes[i];
            if (size == 0 && quote == 0)
            {
                continue;
            }

            PerpMarket m = markets[i];
            AssetPool basePool = pools[m.Config.BaseAsset];
            long price = basePool.Price;
            long div = basePool.ValueDivisor;
            long pnl = Pnl(m, size, quote, snaps[i], price, div);
            if (pnl >= 0)
            {
                cv += pnl;
                mc += FullMath.Div((Int128)pnl * m.Risk.PnlMaintenanceWeight, Precision.Ppm, Rounding.Down);
            }
            else
            {
                dv -= pnl;
                ml -= pnl;
            }

            // Initial health values the position where it is worth least of oracle and stable price — a long
            // at min, a short at max — as lending collateral is, so a pushed price buys no borrowing power.
            long initialPrice = size > 0 ? basePool.InitialAssetPrice : basePool.InitialLiabilityPrice;
            long initialPnl = size == 0 || initialPrice == price ? pnl : Pnl(m, size, quote, snaps[i], initialPrice, div);
            if (initialPnl >= 0)
            {
                ic += FullMath.Div((Int128)initialPnl * m.Risk.PnlInitialWeight, Precision.Ppm, Rounding.Down);
            }
            else
            {
                il -= initialPnl;
            }

            if (size != 0)
            {
                long abs = AbsNotional(size, price, div);
                if (!maintenanceOnly)
                {
                    il += FullMath.Div((Int128)abs * InitialFraction(m, size, price, div), Precision.Ppm, Rounding.Up);
                }

                ml += FullMath.Div((Int128)abs * m.Risk.MaintenanceMarginFraction, Precision.Ppm, Rounding.Up);
            }
        }

        return new Health(cv, dv, ic, il, mc, ml);
    }
}
