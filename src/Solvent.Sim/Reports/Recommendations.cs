using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>One row of the parameter recommendation: the value a segment needs to meet the target.</summary>
/// <param name="Segment">"all" (the whole book), a lending asset or a perp market, as <c>venue/symbol</c>.</param>
/// <param name="BookUsd">The book the target is measured against (total book, the asset's debt, the market's open interest).</param>
/// <param name="Value">The least demanding swept value that meets the target; null when none does.</param>
/// <param name="Var99ShareByValue">99% VaR of the segment's bad debt as a share of its book, per swept value (sweep order).</param>
internal sealed record Recommendation(string Segment, double BookUsd, double? Value, IReadOnlyList<double> Var99ShareByValue);

/// <summary>
/// Picks, per segment, the least demanding value of a swept parameter that keeps the 99% VaR of bad debt at or
/// below <see cref="TargetShareOfBook"/> of that segment's book. "Least demanding" is the smallest maintenance
/// margin, liquidation penalty or pool depth, and the longest keeper latency: the cheapest setting for users
/// (or the weakest operational promise) that still meets the target.
/// </summary>
internal static class Recommendations
{
    /// <summary>The target: 99% VaR of bad debt ≤ 1% of the segment's book.</summary>
    public const double TargetShareOfBook = 0.01;

    /// <summary>The target in words, for reports.</summary>
    public static readonly string Target = $"99% VaR of bad debt ≤ {Fmt.Pct(TargetShareOfBook)} of the segment's book";

    /// <summary>One row per segment with a book (the whole book first); empty when the sweep carries no tail figures.</summary>
    public static IReadOnlyList<Recommendation> For(SweepResult sweep)
    {
        if (sweep.Points.Count == 0 || sweep.Points.Any(p => p.Risk is null))
        {
            return [];
        }

        bool largestIsEasiest = sweep.Param == "keeperLatency";
        var rows = new List<Recommendation>();
        void Add(string name, double book, Func<RiskSummary, double> var99Share)
        {
            double[] shares = [.. sweep.Points.Select(p => var99Share(p.Risk!))];
            double? best = null;
            for (int i = 0; i < shares.Length; i++)
            {
                double v = sweep.Points[i].Value;
                if (shares[i] <= TargetShareOfBook && (best is null || (largestIsEasiest ? v > best : v < best)))
                {
                    best = v;
                }
            }

            rows.Add(new Recommendation(name, book, best, shares));
        }

        RiskSummary first = sweep.Points[0].Risk!;
        Add("all", first.BookUsd, r => r.BadDebt.ShareOfBook.Var99);
        for (int i = 0; i < first.Assets.Count; i++)
        {
            AssetRisk a = first.Assets[i];
            if (a.DebtUsd > 0)
            {
                int k = i;
                Add($"{a.Venue}/{a.Asset}", a.DebtUsd, r => r.Assets[k].BadDebt.ShareOfBook.Var99);
            }
        }

        for (int i = 0; i < first.Markets.Count; i++)
        {
            MarketRisk m = first.Markets[i];
            if (m.OpenInterestUsd > 0)
            {
                int k = i;
                Add($"{m.Venue}/{m.Market}", m.OpenInterestUsd, r => r.Markets[k].BadDebt.ShareOfBook.Var99);
            }
        }

        return rows;
    }
}
