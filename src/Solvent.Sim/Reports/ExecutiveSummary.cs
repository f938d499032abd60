using Solvent.Sim.Running;

namespace Solvent.Sim.Reports;

/// <summary>The report's opening paragraph: sentences written from the figures (what breaks first, at what move, with what confidence).</summary>
internal static class ExecutiveSummary
{
    /// <summary>Sentences for a run, with threshold and sweep findings when those outputs are present.</summary>
    public static IReadOnlyList<string> Of(StressSummary? run, IReadOnlyList<ThresholdResult> thresholds, IReadOnlyList<SweepResult> sweeps)
    {
        var s = new List<string>();
        if (run is not null)
        {
            RunSentences(run, s);
        }

        foreach (ThresholdResult t in thresholds)
        {
            string what = t.Kind == "shock" ? "an instantaneous drop of every volatile asset" : "a multiplier on every log-return";
            string at = t.Kind == "shock" ? Fmt.Pct(t.Threshold) : Fmt.Num(t.Threshold) + "×";
            string ci = t.Kind == "shock" ? $"{Fmt.Pct(t.CiLow)}–{Fmt.Pct(t.CiHigh)}" : $"{Fmt.Num(t.CiLow)}×–{Fmt.Num(t.CiHigh)}×";
            string censored = t.Censored > 0 ? $"; {t.Censored} of the {t.Paths} paths never ran out below the search ceiling of {(t.Kind == "shock" ? Fmt.Pct(t.Ceiling) : Fmt.Num(t.Ceiling) + "×")}" : "";
            s.Add($"Under {what}, half the paths exhaust the insurance funds at {at} (95% CI {ci} over {t.Paths} paths{censored}).");
        }

        foreach (SweepResult sw in sweeps)
        {
            IReadOnlyList<Recommendation> rec = Recommendations.For(sw);
            Recommendation? all = rec.FirstOrDefault();
            if (all is null)
            {
                continue;
            }

            string values = string.Join(", ", sw.Points.Select(p => Fmt.Num(p.Value)));
            s.Add(all.Value is { } v
                ? $"Of the {sw.Param} values tried ({values}), {Fmt.Num(v)} is the least demanding that keeps the whole book within the target ({Recommendations.Target}); {rec.Count(r => r.Value is null)} of {rec.Count} segments meet it at none of them."
                : $"None of the {sw.Param} values tried ({values}) keeps the whole book within the target ({Recommendations.Target}); the lowest 99% VaR reached is {Fmt.Pct(all.Var99ShareByValue.Min())} of book.");
        }

        return s;
    }

    private static void RunSentences(StressSummary m, List<string> s)
    {
        RiskSummary r = m.Risk;
        ShareInterval x = m.Exhausted;
        s.Add($"{Fmt.Int(m.Paths)} path(s) ({Fmt.Int(x.Observations)} distinct price path(s)) of {Fmt.Hours(m.Steps * (double)m.StepSeconds)} in {m.StepSeconds}-second blocks over a book of {Fmt.Usd(r.BookUsd)} (lending debt plus perp open interest; {Fmt.Int(m.Accounts)} accounts, {m.Venues} venue(s)) with {Fmt.Usd(m.InsuranceStartUsd)} of insurance funds.");
        Tail bad = r.BadDebt.Usd, share = r.BadDebt.ShareOfBook;
        if (bad.Max <= Exhaustion.ToleranceUsd)
        {
            double worstMove = m.PathResults.Count > 0 ? m.PathResults.Max(p => p.WorstMove) : 0;
            s.Add($"No path left bad debt; the largest fall of any asset's market price from its start was {Fmt.Pct(worstMove)}.");
        }
        else
        {
            s.Add($"Bad debt: 95% VaR {Fmt.Usd(bad.Var95)} ({Fmt.Pct(share.Var95)} of book), 99% VaR {Fmt.Usd(bad.Var99)} ({Fmt.Pct(share.Var99)}), 99% CVaR {Fmt.Usd(bad.CVar99)} ({Fmt.Pct(share.CVar99)}); the worst path (path {r.WorstPath}) lost {Fmt.Usd(bad.Max)}.");
            FirstLossSummary f = r.FirstLoss;
            if (f.Segments.Count > 0)
            {
                SegmentCount top = f.Segments[0];
                s.Add($"{top.Segment} breaks first: it took the first bad debt on {top.Paths} of the {f.Paths} path(s) with bad debt, once the worst asset had fallen a median {Fmt.Pct(f.MedianMove)} from its start (the gentlest such fall: {Fmt.Pct(f.SmallestMove)}; median time {Fmt.Hours(f.MedianSeconds)}).");
            }

            (string name, double own, double book)? worst = null;
            foreach (AssetRisk a in r.Assets.Where(a => a.DebtUsd > 0))
            {
                if (worst is null || a.BadDebt.ShareOfBook.Var99 > worst.Value.own)
                {
                    worst = ($"{a.Venue}/{a.Asset} lending", a.BadDebt.ShareOfBook.Var99, a.DebtUsd);
                }
            }

            foreach (MarketRisk mk in r.Markets.Where(mk => mk.OpenInterestUsd > 0))
            {
                if (worst is null || mk.BadDebt.ShareOfBook.Var99 > worst.Value.own)
                {
                    worst = ($"{mk.Venue}/{mk.Market}", mk.BadDebt.ShareOfBook.Var99, mk.OpenInterestUsd);
                }
            }

            if (worst is { } w && w.own > 0)
            {
                s.Add($"Against its own book, {w.name} carries the heaviest tail: 99% VaR of bad debt {Fmt.Pct(w.own)} of its {Fmt.Usd(w.book)}.");
            }
        }

        s.Add($"The insurance funds, net of the bad debt they did not pay, ran out on {Fmt.Num(Math.Round(x.Hits, 3))} of {Fmt.Int(x.Observations)} distinct price path(s) ({Fmt.Pct(x.Share)}, Wilson 95% CI {Fmt.Pct(x.Low95)}–{Fmt.Pct(x.High95)}); the lowest net fund was {Fmt.Usd(m.NetFundWorstUsd)}.");
        var losses = new List<string>();
        losses.AddRange(r.Assets.Where(a => a.PathsWithSocializedLoss > 0).Select(a => $"{a.Venue}/{a.Asset} suppliers on {a.PathsWithSocializedLoss} path(s) (up to {Fmt.Usd(a.SocializedUsd.Usd.Max)})"));
        losses.AddRange(r.Markets.Where(k => k.PathsWithAdl > 0).Select(k => $"ADL in {k.Venue}/{k.Market} on {k.PathsWithAdl} path(s) (up to {Fmt.Usd(k.AdlVolumeUsd.Usd.Max)} of notional, {Fmt.Usd(k.AdlLossUsd.Usd.Max)} of loss)"));
        s.Add(losses.Count == 0
            ? "No loss was socialized and no position was auto-deleveraged."
            : $"Losses reached users beyond the funds: {string.Join("; ", losses)}.");
        if (x.Observations == 1 && m.Paths > 1)
        {
            s.Add("Every path replays one price history (they differ only in keeper latencies), so these tails describe that history, not a distribution of futures.");
        }
        else if (m.Paths < 100)
        {
            s.Add($"With {m.Paths} paths the 99% VaR is the worst path and the 95% VaR rests on {Math.Max(1, (int)Math.Floor(m.Paths * 0.05))} path(s): run 1,000 or more paths before relying on the tail figures.");
        }
    }
}
