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

    /// <summary>The price of an asset at <paramref name="price"/> after a move of <paramref name="movePercent"/>: ⌊price·(100+m)/100⌋, at least 1.</summary>
    public static long MovedPrice(long price, int movePercent) =>
        (long)Int128.Max(1, (Int128)price * (100 + movePercent) / 100);

    /// <summary>
    /// Builds the heatmap on a private engine (a restored copy; its prices are moved and put back). Each
    /// subaccount's liquidation price per asset comes from the engine's own search
    /// (<see cref="Engine.LiquidationPriceOf"/>); because maintenance health is monotone in any one price, a
    /// move liquidates the subaccount exactly when the moved price is past that price, so one search per
    /// subaccount and asset serves every move.
    /// </summary>
    public static LiquidationHeatmap Build(Engine copy, int maxMove)
    {
        int[] moves = [.. Enumerable.Range(-maxMove, (2 * maxMove) + 1)];
        int assets = copy.Pools.Length;
        var value = new Int128[assets][];
        var count = new int[assets][];
        for (int a = 0; a < assets; a++)
        {
            value[a] = new Int128[moves.Length];
            count[a] = new int[moves.Length];
        }

        var moved = new long[assets][];
        for (int a = 0; a < assets; a++)
        {
            long p = copy.Pools[a].Price;
            moved[a] = [.. moves.Select(m => MovedPrice(p, m))];
        }

        for (int id = 0; id < copy.Accounts.Count; id++)
        {
            // An account whose figures leave the integer range has no report either; it is left out the same way.
            if (copy.IsProtocolAccount(id) || !EvalReport.TryHealth(copy, id, out Health h))
            {
                continue;
            }

            // No liabilities and no positions: maintenance health is collateral only, never below zero.
            if (!h.HasLiabilities)
            {
                continue;
            }

            for (int a = 0; a < assets; a++)
            {
                long now = copy.Pools[a].Price;
                long? edge = copy.LiquidationPriceOf(id, a);
                bool rising = edge is { } l && (h.IsLiquidatable ? l > now : l < now || (l == now && HealthyAbove(copy, id, a)));
                for (int j = 0; j < moves.Length; j++)
                {
                    long x = moved[a][j];
                    bool liquidatable = edge is not { } e ? h.IsLiquidatable : rising ? x < e : x > e;
                    if (liquidatable)
                    {
                        count[a][j]++;
                        value[a][j] += h.CollateralValue;
                    }
                }
            }
        }

        return new LiquidationHeatmap(copy.Height, moves, [.. copy.Pools.Select(p => p.Config.Symbol)], value, count);
    }

    // At the edge exactly (healthy at the current price, and the search's boundary is the current price):
    // health rises with the price when the next price up is healthy too.
    private static bool HealthyAbove(Engine copy, int id, int asset)
    {
        long saved = copy.Pools[asset].Price;
        try
        {
            copy.ImportPrice(asset, saved + 1);
            return !copy.HealthOf(id).IsLiquidatable;
        }
        catch (OverflowException)
        {
            return false;
        }
        finally
        {
            copy.ImportPrice(asset, saved);
        }
    }
}
