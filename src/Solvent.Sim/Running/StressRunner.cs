using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>Result of a set of paths: the summary plus the series path's time series.</summary>
public sealed class StressRun
{
    private readonly Func<int, PathOutcome>? _replay;
    private readonly Dictionary<int, IReadOnlyList<SeriesPoint>?> _series = [];

    internal StressRun(StressSummary summary, IReadOnlyList<PathOutcome> outcomes, IReadOnlyList<string> symbols, Func<int, PathOutcome>? replay = null)
    {
        Summary = summary;
        Outcomes = outcomes;
        Symbols = symbols;
        _replay = replay;
    }

    /// <summary>The summary written to summary.json.</summary>
    public StressSummary Summary { get; }

    internal IReadOnlyList<PathOutcome> Outcomes { get; }

    internal IReadOnlyList<string> Symbols { get; }

    internal IReadOnlyList<SeriesPoint>? Series => Outcomes.Count > 0 ? Outcomes[0].Series : null;

    /// <summary>
    /// The time series of any path: path 0's was recorded; another is re-run from its own seed (a path does not
    /// depend on the others), and the re-run must reproduce the recorded outcome or this throws.
    /// </summary>
    internal IReadOnlyList<SeriesPoint>? SeriesOf(int path)
    {
        if (path < 0 || path >= Outcomes.Count)
        {
            return null;
        }

        if (Outcomes[path].Series is { } recorded)
        {
            return recorded;
        }

        if (!_series.TryGetValue(path, out IReadOnlyList<SeriesPoint>? series) && _replay is not null)
        {
            PathOutcome again = _replay(path);
            if (again.BadDebtUsd != Outcomes[path].BadDebtUsd || again.Liquidations != Outcomes[path].Liquidations)
            {
                throw new InvalidOperationException($"path {path} did not reproduce when re-run for its time series");
            }

            _series[path] = series = again.Series;
        }

        return series;
    }
}

/// <summary>
/// Runs Monte Carlo paths in parallel. Path i's seed is derived from the scenario seed and i alone, and
/// results are gathered by index, so output does not depend on thread scheduling or core count.
/// </summary>
public static class StressRunner
{
    /// <summary>Runs <paramref name="paths"/> paths (scenario's count when null); path 0 records the time series.</summary>
    public static StressRun Run(Scenario s, int? paths = null, double? shock = null, double volMultiplier = 1, Action<int>? pathDone = null)
    {
        int n = ScenarioLimits.Paths(paths ?? s.Paths, paths is null ? "$.paths" : "--paths");
        var prepared = new Prepared(s);
        ScenarioLimits.Work(n, s.Steps + s.BurnInSteps, prepared.Populations.Sum(x => (long)x.Accounts));
        double sh = shock ?? s.Prices.Shock;
        double vm = volMultiplier * s.Prices.VolMultiplier;
        PathOutcome[] outcomes = RunPaths(prepared, n, sh, vm, recordSeries: true, pathDone);
        return new StressRun(
            Summarize(s, prepared, outcomes, sh, vm), outcomes, prepared.Symbols,
            path => PathRunner.Run(prepared, path, PathSeed(s.Seed, path), sh, vm, recordSeries: true));
    }

    internal static PathOutcome[] RunPaths(Prepared p, int n, double shock, double vm, bool recordSeries, Action<int>? pathDone)
    {
        var outcomes = new PathOutcome[n];
        ForEachPath(n, i =>
        {
            outcomes[i] = PathRunner.Run(p, i, PathSeed(p.Scenario.Seed, i), shock, vm, recordSeries && i == 0);
            pathDone?.Invoke(i);
        });
        return outcomes;
    }

    /// <summary>
    /// Runs <paramref name="body"/> for paths 0..n−1 in parallel; a path that finds its input unusable
    /// (<see cref="ScenarioException"/>) surfaces as that exception, not wrapped in an <see cref="AggregateException"/>.
    /// </summary>
    internal static void ForEachPath(int n, Action<int> body)
    {
        try
        {
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Any(x => x is ScenarioException))
        {
            // Several paths may fail; each message names the input at fault, so any one of them will do.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions.First(x => x is ScenarioException)).Throw();
        }
    }

    /// <summary>SplitMix64 of (scenario seed, path index): independent, reproducible per-path seeds.</summary>
    public static int PathSeed(int seed, int path)
    {
        ulong z = ((ulong)(uint)seed << 32) + (ulong)(uint)path + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFF_FFFF);
    }

    internal static StressSummary Summarize(Scenario s, Prepared p, PathOutcome[] o, double shock, double vm)
    {
        double book = o.Length > 0 ? o[0].BookUsd : 0;
        double Of(double usd) => book > 0 ? usd / book : 0;
        return new(
            s.Name, s.Seed, o.Length, s.Steps, s.StepSeconds, s.Venues.Count, p.Populations.Sum(x => x.Accounts), shock, vm,
            Stats.Of(o.Select(x => x.BadDebtUsd)),
            Stats.Of(o.Select(x => (double)x.Liquidations)),
            Stats.Of(o.Select(x => x.LiquidationVolumeUsd)),
            Stats.Of(o.Select(x => x.InsuranceUsedUsd)),
            Stats.Of(o.Select(x => x.InsuranceMaxDrawdown)),
            Stats.Of(o.Select(x => x.AdlVolumeUsd)),
            Math.Round(o.Length > 0 ? o.Average(x => x.Efficiency) : 0, 6),
            Math.Round(o.Length > 0 ? o[0].InsuranceStartUsd : 0, 2),
            Math.Round(o.Count(x => x.Exhausted) / (double)Math.Max(1, o.Length), 6),
            Stats.Of(o.Select(x => (double)x.RiskAdjustments)),
            Stats.Of(o.Select(x => (double)x.OracleClamps)),
            Stats.Of(o.Select(x => (double)x.OraclePauses)),
            Stats.Of(o.Select(x => (double)x.RepegsRefused)),
            ExhaustedOverPricePaths(o),
            Stats.Of(o.Select(x => x.NetFundUsd)),
            Math.Round(o.Length > 0 ? o.Min(x => x.NetFundUsd) : 0, 4),
            Math.Round(book, 2),
            Stats.Of(o.Select(x => Of(x.BadDebtUsd))),
            Stats.Of(o.Select(x => x.SocializedUsd)),
            Stats.Of(o.Select(x => Of(x.SocializedUsd))),
            o.Count(x => x.SocializedUsd > Exhaustion.ToleranceUsd),
            PoolLosses(o),
            o.Count(x => x.AdlVolumeUsd > Exhaustion.ToleranceUsd),
            RiskSummary.Of(o),
            [.. o.Select(x => new PathResult(
                x.Path, Math.Round(x.BadDebtUsd, 4), x.Liquidations, Math.Round(x.InsuranceUsedUsd, 4), x.Exhausted, Math.Round(x.Efficiency, 6), Math.Round(x.NetFundUsd, 4),
                Math.Round(x.SocializedUsd, 4), Math.Round(x.AdlVolumeUsd, 4), Math.Round(x.LiquidationVolumeUsd, 4), Math.Round(1 - x.MinPriceRatio, 6),
                x.FirstLoss is { } f ? f with { Move = Math.Round(f.Move, 6) } : null))]);
    }

    /// <summary>
    /// Exhausted share over independent price paths: paths that replayed identical prices (a historical replay
    /// run several times) are one observation, counted as the share of its replays that exhausted the fund.
    /// </summary>
    internal static ShareInterval ExhaustedOverPricePaths(IReadOnlyList<PathOutcome> o)
    {
        var groups = new Dictionary<ulong, (int Paths, int Exhausted, int First)>();
        for (int i = 0; i < o.Count; i++)
        {
            (int n, int e, int first) = groups.GetValueOrDefault(o[i].PriceFingerprint, (0, 0, i));
            groups[o[i].PriceFingerprint] = (n + 1, e + (o[i].Exhausted ? 1 : 0), first);
        }

        double hits = 0;
        foreach ((int n, int e, int _) in groups.Values.OrderBy(g => g.First))
        {
            hits += e / (double)n;
        }

        return ShareInterval.Wilson(hits, groups.Count);
    }

    private static PoolLoss[] PoolLosses(PathOutcome[] o) =>
        [.. o.SelectMany(x => x.SocializedByPool).Where(kv => kv.Value > Exhaustion.ToleranceUsd)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PoolLoss(g.Key, g.Count(), Math.Round(g.Average(kv => kv.Value), 4), Math.Round(g.Max(kv => kv.Value), 4)))];
}
