using Solvent.Core.Perps;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// Order checks answered from fixed-point lower bounds: each says "clearly passes" or "undecided", never
/// "fails", and an undecided order takes the exact check. Each also declines when figures are large enough
/// that the exact check's own arithmetic could overflow (an overflow rejects the order, which a bound must
/// not hide), so with or without them every order gets the same result.
/// </summary>
public sealed partial class Engine
{
    /// <summary>
    /// Whether equity after a reducing order is provably ≥ 0 without valuing the account exactly: the
    /// lending balances (quote balance as settled) from a fixed-point lower bound, every position's PnL
    /// exact. Equity after ≥ 0 satisfies the bankruptcy rule whatever equity was before, so a true answer
    /// accepts what the exact check accepts; false only means "value exactly". It also declines whenever
    /// a figure is large enough that the exact check's own arithmetic could overflow (which rejects the
    /// order): every amount below 2^62, the position's notional, quote and funding below 2^61.
    /// </summary>
    private bool ClearlySolventAfter(int id, int market, in PositionState pos, long owed, in PositionState user, PnlSettlement? settle)
    {
        const long Small = 1L << 61;
        PerpMarket m = _markets[market];
        AssetPool basePool = _pools[m.Config.BaseAsset];
        long storedQuote = Accounts.Quote(id, market);
        ulong absSize = pos.Size < 0 ? unchecked((ulong)-pos.Size) : (ulong)pos.Size;
        ulong hi = System.Math.BigMul(absSize, unchecked((ulong)basePool.Price), out ulong lo);
        bool notionalSmall = new UInt128(hi, lo) <= (UInt128)(ulong)basePool.ValueDivisor << 61;
        if (basePool.Price <= 0 || !notionalSmall || storedQuote < -Small || storedQuote > Small || owed < -Small || owed > Small)
        {
            return false;
        }

        Span<long> balances = stackalloc long[_pools.Length];
        Accounts.Balances(id).CopyTo(balances);
        if (settle is { } c)
        {
            if (!_equityEstimate.InExactRange(Genesis.QuoteAsset, balances[Genesis.QuoteAsset]))
            {
                return false;
            }

            balances[Genesis.QuoteAsset] = c.Change.NewScaled;
        }

        if (!_equityEstimate.TryLowerBound(balances, out long lending))
        {
            return false;
        }

        Int128 equity = lending;
        ReadOnlySpan<long> sizes = Accounts.Sizes(id), quotes = Accounts.Quotes(id);
        try
        {
            for (int i = 0; i < sizes.Length; i++)
            {
                AssetPool bp = _pools[_markets[i].Config.BaseAsset];
                if (i == market)
                {
                    equity += PerpHealth.Pnl(m, user.Size, user.Quote - (settle?.Amount ?? 0), user.Snapshot, bp.Price, bp.ValueDivisor);
                }
                else if (sizes[i] != 0 || quotes[i] != 0)
                {
                    equity += PerpHealth.Pnl(_markets[i], sizes[i], quotes[i], Accounts.FundingSnapshot(id, i), bp.Price, bp.ValueDivisor);
                }
            }
        }
        catch (OverflowException)
        {
            // The exact check meets the same figures and rejects; the estimate only declines.
            return false;
        }

        return equity >= 0;
    }

    /// <summary>
    /// Whether initial health after an opening order is provably ≥ 0: every position exact (as the exact
    /// check computes it, open-interest fraction included), the lending balances from the initial-health
    /// fixed-point estimate. Declines balances whose amount could reach 2^62 and prices at or above 2^44
    /// value units, where the exact weighted sums could overflow.
    /// </summary>
    private bool ClearlyInitiallyHealthyAfter(int id, int market, in PositionState user, PnlSettlement? settle)
    {
        Span<long> balances = stackalloc long[_pools.Length];
        Accounts.Balances(id).CopyTo(balances);
        PositionState p = user;
        if (settle is { } c)
        {
            balances[Genesis.QuoteAsset] = c.Change.NewScaled;
            p = p with { Quote = p.Quote - c.Amount };
        }

        for (int a = 0; a < balances.Length; a++)
        {
            if (balances[a] != 0 && (!_equityEstimate.InExactRange(a, balances[a]) || !PricesInWeightedRange(_pools[a])))
            {
                return false;
            }
        }

        Span<long> sizes = stackalloc long[_markets.Length];
        Span<long> quotes = stackalloc long[_markets.Length];
        Span<Int128> snaps = stackalloc Int128[_markets.Length];
        Accounts.Sizes(id).CopyTo(sizes);
        Accounts.Quotes(id).CopyTo(quotes);
        Accounts.FundingSnapshots(id).CopyTo(snaps);
        sizes[market] = p.Size;
        quotes[market] = p.Quote;
        snaps[market] = p.Snapshot;
        try
        {
            Int128 positions = PerpHealth.Add(default, sizes, quotes, snaps, _markets, _pools).InitialHealth;
            return _estimate.ClearlyNonNegative(balances, positions);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Oracle and initial prices below 2^44 value units per quantum: a balance under 2^62 then values under 2^106, and its weighted value fits 128 bits.</summary>
    private static bool PricesInWeightedRange(AssetPool p)
    {
        long limit = p.ValueDivisor > long.MaxValue >> 44 ? long.MaxValue : p.ValueDivisor << 44;
        return p.Price < limit && p.InitialAssetPrice < limit && p.InitialLiabilityPrice < limit;
    }
}
