using System.Globalization;

namespace Solvent.Sim.Running;

/// <summary>A loss tail in USD and as a share of the book it is measured against.</summary>
/// <param name="Usd">USD.</param>
/// <param name="ShareOfBook">The same figures divided by the book (0.01 = 1% of the book).</param>
public sealed record TailRisk(Tail Usd, Tail ShareOfBook)
{
    /// <summary>The tail of <paramref name="usd"/> over paths, and its share of <paramref name="book"/>.</summary>
    public static TailRisk Of(IEnumerable<double> usd, double book)
    {
        Tail t = Tail.Of(usd);
        return new TailRisk(t, t.Per(book));
    }
}

/// <summary>Mean and range of a signed figure over paths.</summary>
/// <param name="Mean">Mean.</param>
/// <param name="Min">Lowest path.</param>
/// <param name="Max">Highest path.</param>
public sealed record Spread(double Mean, double Min, double Max)
{
    /// <summary>Of the values (zeros when empty).</summary>
    public static Spread Of(IReadOnlyCollection<double> v) => v.Count == 0
        ? new Spread(0, 0, 0)
        : new Spread(Math.Round(v.Average(), 4), Math.Round(v.Min(), 4), Math.Round(v.Max(), 4));
}

/// <summary>One lending asset of one venue over the paths.</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="Asset">Asset symbol.</param>
/// <param name="DebtUsd">The asset's debt at the start: the book its bad debt is divided by.</param>
/// <param name="CollateralUsd">The asset's supply at the start: the book its liquidations-at-risk are divided by.</param>
/// <param name="BadDebt">Bad debt in this asset (written off, plus its share of negative equity left at the end) per path.</param>
/// <param name="LiquidationsAtRisk">Value of this asset seized as collateral per path (LaR = its VaR).</param>
/// <param name="InsurancePaidUsd">What the asset's fund paid per path.</param>
/// <param name="PathsWithBadDebt">Paths with bad debt in this asset.</param>
/// <param name="PathsWithSocializedLoss">Paths on which a loss was spread over the asset's suppliers.</param>
/// <param name="SocializedUsd">That loss per path.</param>
/// <param name="Cause">Why suppliers took a loss, with amounts (null when they never did).</param>
public sealed record AssetRisk(
    string Venue, string Asset, double DebtUsd, double CollateralUsd, TailRisk BadDebt, TailRisk LiquidationsAtRisk,
    Tail InsurancePaidUsd, int PathsWithBadDebt, int PathsWithSocializedLoss, TailRisk SocializedUsd, string? Cause);

/// <summary>One perp market of one venue over the paths.</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="Market">Market symbol.</param>
/// <param name="OpenInterestUsd">Open interest at the start (notional): the book every share here is divided by.</param>
/// <param name="BadDebt">Backstop shortfalls plus the market's share of negative equity left at the end, per path.</param>
/// <param name="LiquidationsAtRisk">Notional liquidated or taken over by the backstop per path (LaR = its VaR).</param>
/// <param name="InsurancePaidUsd">What the market's fund paid per path.</param>
/// <param name="PathsWithBadDebt">Paths with bad debt in this market.</param>
/// <param name="PathsWithAdl">Paths on which positions were auto-deleveraged.</param>
/// <param name="AdlVolumeUsd">Notional auto-deleveraged per path.</param>
/// <param name="AdlLossUsd">Shortfall the fund did not pay, absorbed by the deleveraged positions, per path.</param>
/// <param name="Cause">Why ADL ran, with amounts (null when it never did).</param>
/// <param name="AmmInventoryPnlUsd">The vAMM's inventory PnL per path (0 where the market model does not fill it).</param>
/// <param name="FundingPaidUsd">Funding paid by traders per path (0 where the market model does not fill it).</param>
public sealed record MarketRisk(
    string Venue, string Market, double OpenInterestUsd, TailRisk BadDebt, TailRisk LiquidationsAtRisk, Tail InsurancePaidUsd,
    int PathsWithBadDebt, int PathsWithAdl, TailRisk AdlVolumeUsd, TailRisk AdlLossUsd, string? Cause, Spread AmmInventoryPnlUsd, Spread FundingPaidUsd);

/// <summary>What broke first: where and after how large a price move the first bad debt of each path happened.</summary>
/// <param name="Paths">Paths with any bad debt.</param>
/// <param name="Segments">For each segment that took a path's first bad debt, how many paths (most first).</param>
/// <param name="MedianMove">Median over those paths of the largest fall of any asset from its start when the first bad debt happened.</param>
/// <param name="SmallestMove">Smallest such fall (the gentlest move that already produced bad debt).</param>
/// <param name="MedianSeconds">Median simulated time of the first bad debt.</param>
public sealed record FirstLossSummary(int Paths, IReadOnlyList<SegmentCount> Segments, double MedianMove, double SmallestMove, double MedianSeconds);

/// <summary>A segment and a count of paths.</summary>
/// <param name="Segment"><c>venue/symbol</c>.</param>
/// <param name="Paths">Paths.</param>
public sealed record SegmentCount(string Segment, int Paths);

/// <summary>
/// The tail figures a risk committee reads: VaR and CVaR of bad debt and liquidations-at-risk in total, per
/// lending asset and per perp market, socialized losses and ADL with their amounts and cause, and what broke first.
/// </summary>
/// <param name="Method">How quantiles and tail means are computed.</param>
/// <param name="Units">What the numbers are in.</param>
/// <param name="BookUsd">Total book at the start (lending debt plus perp open interest).</param>
/// <param name="BadDebt">Total bad debt per path.</param>
/// <param name="LiquidationsAtRisk">Total liquidated value per path.</param>
/// <param name="SocializedUsd">Losses spread over lending suppliers per path.</param>
/// <param name="AdlLossUsd">Shortfalls absorbed by auto-deleveraged positions per path.</param>
/// <param name="Assets">Per lending asset.</param>
/// <param name="Markets">Per perp market.</param>
/// <param name="FirstLoss">What broke first.</param>
/// <param name="Var95Path">A path whose total bad debt is the 95% VaR (the lowest index among equals).</param>
/// <param name="Var99Path">A path whose total bad debt is the 99% VaR.</param>
/// <param name="WorstPath">The path with the largest total bad debt.</param>
public sealed record RiskSummary(
    string Method, string Units, double BookUsd, TailRisk BadDebt, TailRisk LiquidationsAtRisk, TailRisk SocializedUsd, TailRisk AdlLossUsd,
    IReadOnlyList<AssetRisk> Assets, IReadOnlyList<MarketRisk> Markets, FirstLossSummary FirstLoss, int Var95Path, int Var99Path, int WorstPath)
{
    /// <summary>The units statement reports carry.</summary>
    public const string UnitsText = "USD at the engine's oracle prices when each event happened; shareOfBook = the same figure divided by the book named beside it (total: lending debt plus perp open interest at the start; an asset: its debt, or for liquidations its supply; a market: its open interest)";

    /// <summary>Aggregates per-path outcomes (in path order; the result does not depend on scheduling).</summary>
    internal static RiskSummary Of(IReadOnlyList<PathOutcome> o)
    {
        double book = o.Count > 0 ? o[0].BookUsd : 0;
        var assets = new List<AssetRisk>();
        var markets = new List<MarketRisk>();
        IReadOnlyList<PathSegment> layout = o.Count > 0 ? o[0].Segments : [];
        for (int k = 0; k < layout.Count; k++)
        {
            PathSegment first = layout[k];
            SegmentFigures[] f = [.. o.Select(x => x.Segments[k].Figures)];
            string name = first.Symbol;
            if (!first.IsMarket)
            {
                SegmentFigures[] hit = [.. f.Where(x => x.SocializedUsd > Exhaustion.ToleranceUsd)];
                string? cause = hit.Length == 0 ? null : Inv(
                    $"bad debt in {name} beyond its insurance fund: on the {hit.Length} path(s) with a socialized loss, a mean {hit.Average(x => x.BadDebtUsd - x.UnderwaterUsd):N0} USD was written off, the fund paid {hit.Average(x => x.InsurancePaidUsd):N0} USD and {hit.Average(x => x.SocializedUsd):N0} USD was spread over {name} suppliers by lowering the supply index");
                assets.Add(new AssetRisk(
                    first.Venue, name, Math.Round(first.Figures.BookUsd, 2), Math.Round(first.Figures.CollateralUsd, 2),
                    TailRisk.Of(f.Select(x => x.BadDebtUsd), first.Figures.BookUsd),
                    TailRisk.Of(f.Select(x => x.LiquidationVolumeUsd), first.Figures.CollateralUsd),
                    Tail.Of(f.Select(x => x.InsurancePaidUsd)),
                    f.Count(x => x.BadDebtUsd > Exhaustion.ToleranceUsd), hit.Length,
                    TailRisk.Of(f.Select(x => x.SocializedUsd), first.Figures.BookUsd), cause));
            }
            else
            {
                SegmentFigures[] hit = [.. f.Where(x => x.AdlVolumeUsd > Exhaustion.ToleranceUsd)];
                string? cause = hit.Length == 0 ? null : Inv(
                    $"backstop shortfalls in {name} beyond its insurance fund: on the {hit.Length} path(s) with ADL, a mean {hit.Average(x => x.BadDebtUsd - x.UnderwaterUsd):N0} USD of shortfall, {hit.Average(x => x.InsurancePaidUsd):N0} USD paid by the fund and {hit.Average(x => x.AdlLossUsd):N0} USD absorbed by the most profitable opposite positions, {hit.Average(x => x.AdlVolumeUsd):N0} USD of notional closed against them");
                double oi = first.Figures.BookUsd;
                markets.Add(new MarketRisk(
                    first.Venue, name, Math.Round(oi, 2),
                    TailRisk.Of(f.Select(x => x.BadDebtUsd), oi), TailRisk.Of(f.Select(x => x.LiquidationVolumeUsd), oi),
                    Tail.Of(f.Select(x => x.InsurancePaidUsd)),
                    f.Count(x => x.BadDebtUsd > Exhaustion.ToleranceUsd), hit.Length,
                    TailRisk.Of(f.Select(x => x.AdlVolumeUsd), oi), TailRisk.Of(f.Select(x => x.AdlLossUsd), oi), cause,
                    Spread.Of([.. f.Select(x => x.AmmInventoryPnlUsd)]), Spread.Of([.. f.Select(x => x.FundingPaidUsd)])));
            }
        }

        double[] bad = [.. o.Select(x => x.BadDebtUsd)];
        return new RiskSummary(
            Tail.Method, UnitsText, Math.Round(book, 2),
            TailRisk.Of(bad, book), TailRisk.Of(o.Select(x => x.LiquidationVolumeUsd), book),
            TailRisk.Of(o.Select(x => x.SocializedUsd), book),
            TailRisk.Of(o.Select(x => x.Segments.Where(s => s.IsMarket).Sum(s => s.Figures.AdlLossUsd)), book),
            assets, markets, FirstLossOf(o), PathAt(bad, 0.95), PathAt(bad, 0.99), PathAt(bad, 1));
    }

    /// <summary>The lowest path index whose value is the nearest-rank quantile <paramref name="q"/> of <paramref name="values"/>.</summary>
    internal static int PathAt(double[] values, double q)
    {
        if (values.Length == 0)
        {
            return -1;
        }

        double[] sorted = [.. values];
        Array.Sort(sorted);
        return Array.IndexOf(values, Stats.Quantile(sorted, q));
    }

    private static FirstLossSummary FirstLossOf(IReadOnlyList<PathOutcome> o)
    {
        FirstLoss[] f = [.. o.Where(x => x.FirstLoss is not null).Select(x => x.FirstLoss!)];
        if (f.Length == 0)
        {
            return new FirstLossSummary(0, [], 0, 0, 0);
        }

        double[] moves = [.. f.Select(x => x.Move).Order()];
        double[] secs = [.. f.Select(x => (double)x.Seconds).Order()];
        SegmentCount[] counts = [.. f.GroupBy(x => x.Segment, StringComparer.Ordinal)
            .Select(g => new SegmentCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Paths).ThenBy(c => c.Segment, StringComparer.Ordinal)];
        return new FirstLossSummary(f.Length, counts, Math.Round(Stats.Quantile(moves, 0.5), 6), Math.Round(moves[0], 6), Stats.Quantile(secs, 0.5));
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
