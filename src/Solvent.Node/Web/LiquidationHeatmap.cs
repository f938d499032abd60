using Solvent.Core;
using Solvent.Core.Eval;
using Solvent.Core.Risk;

namespace Solvent.Node.Web;

/// <summary>
/// For each asset and each price move of that asset alone, the subaccounts liquidatable after the move and the
/// collateral value (USD × 1e6 at current prices) they hold. <see cref="Moves"/>[j] is a move in percent;
/// <see cref="Value"/>[a][j] and <see cref="Accounts"/>[a][j] are asset a's row.
/// </summary>
public sealed record LiquidationHeatmap(long Height, int[] Moves, string[] Assets, Int128[][] Value, int[][] Accounts)
{
    /// <summary>Largest move, in percent, either way.</summary>
    public const int MaxMove = 99;

    /// <summary>The same heatmap cut to moves −<paramref name="maxMove"/>..+<paramref name="maxMove"/> (a move's cell does not depend on the range).</summary>
    public LiquidationHeatmap Slice(int maxMove)
    {
        int skip = Array.IndexOf(Moves, -maxMove), n = (2 * maxMove) + 1;
        if (skip < 0 || skip + n > Moves.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMove), $"the heatmap spans ±{Moves[^1]} %");
        }

        return new LiquidationHeatmap(Height, Moves[skip..(skip + n)], Assets, [.. Value.Select(r => r[skip..(skip + n)])], [.. Accounts.Select(r => r[skip..(skip + n)])]);
    }

    /// <summary>The price of an asset at <paramref name="price"/> after a move of <paramref name="movePercent"/>: ⌊price·(100+m)/100⌋, at least 1.</summary>
    public static long MovedPrice(long price, int movePercent) =>
        (long)Int128.Max(1, (Int128)price * (100 + movePercent) / 100);

    /// <summary>
    /// Builds the heatmap on a private engine (a restored copy; its prices are moved and put back). Whether a
    /// subaccount is liquidatable at a moved price is what the what-if asks: the price set on the engine, then
    /// the engine's own health. Maintenance health is monotone in any one price (see
    /// <see cref="LiquidationPriceSearch"/>), so along the ascending moves it flips at most once: the ends are
    /// evaluated and, when they differ, the flip is found by bisection over the moves, a few health evaluations
    /// per subaccount and asset it holds. A subaccount holding nothing priced by an asset (no balance, no position
    /// on a market of that base) keeps its current state for every move of that asset.
    /// </summary>
    public static LiquidationHeatmap Build(Engine copy, int maxMove)
    {
        int[] moves = [.. Enumerable.Range(-maxMove, (2 * maxMove) + 1)];
        int assets = copy.Pools.Length, n = moves.Length;
        var value = new Int128[assets][];
        var count = new int[assets][];
        var moved = new long[assets][];
        long[] prices = [.. copy.Pools.Select(p => p.Price)];
        for (int a = 0; a < assets; a++)
        {
            value[a] = new Int128[n];
            count[a] = new int[n];
            moved[a] = [.. moves.Select(m => MovedPrice(prices[a], m))];
        }

        var accounts = new List<(int Id, Health Health)>();
        for (int id = 0; id < copy.Accounts.Count; id++)
        {
            // An account whose figures leave the integer range has no report either; it is left out the same way.
            // Without liabilities or positions maintenance health is collateral only, never below zero.
            if (!copy.IsProtocolAccount(id) && EvalReport.TryHealth(copy, id, out Health h) && h.HasLiabilities)
            {
                accounts.Add((id, h));
            }
        }

        for (int a = 0; a < assets; a++)
        {
            foreach ((int id, Health h) in accounts)
            {
                // [from, to) of the move indexes at which the subaccount is liquidatable.
                (int from, int to) = Exposed(copy, id, a) ? Span(copy, id, a, moved[a]) : h.IsLiquidatable ? (0, n) : (0, 0);
                for (int j = from; j < to; j++)
                {
                    count[a][j]++;
                    value[a][j] += h.CollateralValue;
                }
            }

            copy.ImportPrice(a, prices[a]);
        }

        return new LiquidationHeatmap(copy.Height, moves, [.. copy.Pools.Select(p => p.Config.Symbol)], value, count);
    }

    private static bool Exposed(Engine e, int id, int asset)
    {
        if (e.Accounts.Scaled(id, asset) != 0)
        {
            return true;
        }

        for (int m = 0; m < e.Markets.Length; m++)
        {
            if (e.Markets[m].Config.BaseAsset == asset && e.Accounts.Size(id, m) != 0)
            {
                return true;
            }
        }

        return false;
    }

    // The liquidatable moves form one run touching an end of the ascending moves (or none, or all).
    private static (int From, int To) Span(Engine e, int id, int asset, long[] moved)
    {
        int n = moved.Length;
        bool lo = LiquidatableAt(e, id, asset, moved[0]), hi = LiquidatableAt(e, id, asset, moved[n - 1]);
        if (lo == hi)
        {
            return lo ? (0, n) : (0, 0);
        }

        // Invariant: the state at l is lo's, at r is hi's; find the first index with hi's state.
        int l = 0, r = n - 1;
        while (r - l > 1)
        {
            int mid = l + ((r - l) / 2);
            if (LiquidatableAt(e, id, asset, moved[mid]) == lo)
            {
                l = mid;
            }
            else
            {
                r = mid;
            }
        }

        return lo ? (0, r) : (r, n);
    }

    // As the engine's liquidation-price search counts it: a probe whose figures leave the integer range is liquidatable.
    private static bool LiquidatableAt(Engine e, int id, int asset, long price)
    {
        e.ImportPrice(asset, price);
        try
        {
            return e.HealthOf(id).IsLiquidatable;
        }
        catch (OverflowException)
        {
            return true;
        }
    }
}
