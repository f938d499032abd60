using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Sim.Keepers;
using Solvent.Sim.Market;
using Solvent.Sim.Population;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>
/// One path, start to end: fresh engines with the imported book, then per step (one simulated block):
/// reference prices → pools (arbitrage recovery) → oracle rounds (<c>SetOraclePrice</c> when a feed
/// publishes; publisher <c>PriceReport</c>s every block for publisher-fed assets) → borrower behaviour →
/// keeper rounds over the index's liquidatable set until nobody acts → <c>EndBlock</c> (oracle aggregation
/// and risk controllers) on venues that have them.
/// The oracle reads the reference price (the wider market, lagged), never the pools: keepers' sales move
/// only the execution price they sell at, which arbitrage pulls back toward the reference.
/// </summary>
internal static class PathRunner
{
    private const int MaxKeeperRounds = 4;
    private const int MaxPerAccount = 8;

    public static PathOutcome Run(Prepared p, int path, int seed, double shock, double volMultiplier, bool recordSeries, Action<IReadOnlyList<Engine>>? atEnd = null, bool verifyIndex = false)
    {
        Scenario s = p.Scenario;
        var rng = new Random(seed);
        // A burn-in runs first on calm prices with keepers and borrowers active; the measured window starts
        // after it with fresh figures, so the book enters the window with its edge already cleared.
        int burn = s.BurnInSteps, steps = burn + s.Steps, n = p.Symbols.Count;
        var reference = new double[n][];
        var market = new double[n][];
        for (int a = 0; a < n; a++)
        {
            reference[a] = new double[steps + 1];
            market[a] = new double[steps + 1];
        }

        p.Plan.Generate(rng, steps, s.StepSeconds, reference, shock, volMultiplier, burn);
        var pools = new ConstantProductPool?[n];
        var feeds = new OracleFeed[n];
        var current = new double[n];
        for (int a = 0; a < n; a++)
        {
            if (s.Pools.TryGetValue(p.Symbols[a], out PoolSpec? ps) && ps.DepthUsd > 0)
            {
                pools[a] = new ConstantProductPool(ps.DepthUsd, ps.RecoveryHalfLifeSeconds, p.Initial[a]);
            }

            feeds[a] = new OracleFeed(s.Oracle, s.StepSeconds, p.Initial[a]);
            market[a][0] = current[a] = reference[a][0];
        }

        var metrics = new PathMetrics();
        var keepers = new KeeperDesk(s.Keepers, rng, pools, current, metrics);
        var venues = new VenueState[s.Venues.Count];
        var arbs = new PerpArbitrage[venues.Length];
        for (int v = 0; v < venues.Length; v++)
        {
            venues[v] = BuildVenue(p, v);
            arbs[v] = new PerpArbitrage(venues[v], s.Arbitrage);
        }

        metrics.StartBook(venues);
        int arbTrades = 0;

        double insuranceStart = Insurance(venues), peak = insuranceStart, drawdown = 0;
        double book = BookUsd(venues);
        double minRatio = 1;
        double[] windowStart = p.Initial;
        var series = recordSeries ? new List<SeriesPoint>(s.Steps + 1) : null;
        if (burn == 0)
        {
            series?.Add(Point(p, venues, 0, 0, reference, market, feeds, 0, metrics, 0));
        }

        var liquidatable = new List<int>();
        int rescanSteps = (int)Math.Max(1, s.Oracle.HeartbeatSeconds / s.StepSeconds);
        for (int step = 1; step <= steps; step++)
        {
            long offset = step * s.StepSeconds, windowOffset = (step - burn) * s.StepSeconds;
            for (int a = 0; a < n; a++)
            {
                pools[a]?.Step(reference[a][step], s.StepSeconds);
                market[a][step] = current[a] = pools[a]?.Price ?? reference[a][step];
                minRatio = Math.Min(minRatio, current[a] / windowStart[a]);
            }

            (metrics.Step, metrics.Move) = (step - burn, 1 - minRatio);

            foreach (VenueState v in venues)
            {
                v.Engine.SimulateBlock(v.StartTime + offset);
            }

            bool published = false;
            for (int a = 0; a < n; a++)
            {
                bool round = feeds[a].Round(step, reference[a]);
                published |= round;
                foreach (VenueState v in venues)
                {
                    int id = a < v.FromMarket.Length ? v.FromMarket[a] : -1;
                    if (id < 0)
                    {
                        continue;
                    }

                    if (v.Publishers[id] is { } publishers)
                    {
                        published |= Report(v, id, publishers, feeds[a].Answer, step, metrics);
                    }
                    else if (round)
                    {
                        long px = KeeperDesk.ToFixed(feeds[a].Answer);
                        Require(v.Engine.Apply(new SetOraclePrice(v.Governance, id, px)), v, id, step, nameof(SetOraclePrice));
                        Repeg(v, id, px, step, metrics);
                    }
                }
            }

            for (int v = 0; v < venues.Length; v++)
            {
                arbTrades += arbs[v].Step(venues[v]);
            }

            if (s.Behaviour.Share > 0 && Mod(windowOffset, s.Behaviour.CheckIntervalSeconds) < s.StepSeconds)
            {
                foreach (VenueState v in venues)
                {
                    Behaviour.React(v, p.Populations[v.Index], s.Behaviour, metrics);
                }
            }

            int atRisk = 0;
            for (int round = 0; round < MaxKeeperRounds; round++)
            {
                bool acted = false;
                atRisk = 0;
                // Keepers rescan when the oracle published, after their own actions, and at least every
                // heartbeat (interest and funding move health slowly); otherwise they revisit the accounts
                // already known to be liquidatable (waiting out a latency, or unprofitable so far).
                bool discover = published || round > 0 || step % rescanSteps == 0;
                foreach (VenueState v in venues)
                {
                    liquidatable.Clear();
                    if (!discover)
                    {
                        liquidatable.AddRange(v.Known);
                    }
                    else
                    {

                        // Re-centre the index once the exact evaluations its hot set cost since the last epoch add up
                        // to a rebuild (one pass over the book): ski-rental, so ticks never cost more than twice
                        // the best rebuild schedule in hindsight.
                        if (round == 0 && v.EvaluatedSinceRebuild > v.Engine.Accounts.Count)
                        {
                            v.Risk.Rebuild();
                            v.EvaluatedSinceRebuild = 0;
                        }

                        liquidatable.AddRange(v.Risk.Tick());
                        if (verifyIndex && !RiskIndex.ExactScan(v.Engine).SequenceEqual(liquidatable))
                        {
                            throw new InvalidOperationException($"step {step}: the index's liquidatable set differs from the exact scan");
                        }
                        v.EvaluatedSinceRebuild += v.Risk.LastEvaluated;
                        v.Known.Clear();
                        v.Known.AddRange(liquidatable);
                    }

                    atRisk += liquidatable.Count;
                    long now = v.Engine.Time;
                    foreach (int id in liquidatable)
                    {
                        long first = v.Seen(id, step, now);

                        // Partial liquidations (close factor) repeat on the same account before the next tick.
                        for (int again = 0; again < MaxPerAccount && keepers.Handle(v, id, now, first); again++)
                        {
                            acted = true;
                        }
                    }
                }

                if (!acted)
                {
                    break;
                }
            }

            // After the block's actions, as Core's Apply(Block) does: aggregation of this block's reports (so the
            // engine's price moves one block after the publishers report it) and the risk controllers.
            foreach (VenueState v in venues)
            {
                if (v.RunsEndBlock)
                {
                    metrics.RecordEndBlock(v.Engine.EndBlock());
                }
            }

            double ins = Insurance(venues);
            if (step == burn)
            {
                // The burn-in is over: everything from here on is the measured window, counted from this book.
                metrics = new PathMetrics();
                keepers.Metrics = metrics;
                metrics.StartBook(venues);
                foreach (VenueState v in venues)
                {
                    v.WindowStart = v.Engine.Time;
                }

                (insuranceStart, peak, drawdown, book, minRatio, arbTrades) = (ins, ins, 0, BookUsd(venues), 1, 0);
                windowStart = [.. current];
                series?.Add(Point(p, venues, step, 0, reference, market, feeds, atRisk, metrics, ins));
                continue;
            }

            if (step < burn)
            {
                continue;
            }

            peak = Math.Max(peak, ins);
            if (peak > 0)
            {
                drawdown = Math.Max(drawdown, (peak - ins) / peak);
            }

            series?.Add(Point(p, venues, step, step - burn, reference, market, feeds, atRisk, metrics, ins));
        }

        // Underwater accounts nobody closed are bad debt too, realized or not.
        double unrealized = 0;
        foreach (VenueState v in venues)
        {
            foreach (int id in v.Risk.Tick())
            {
                Health h = v.Engine.HealthOf(id);
                if (h.Equity < 0)
                {
                    unrealized += (double)(-h.Equity) / 1e6;
                    metrics.Underwater(v, id, (double)(-h.Equity) / 1e6);
                }
            }
        }

        atEnd?.Invoke([.. venues.Select(v => v.Engine)]);
        double insuranceEnd = Insurance(venues);
        double bad = metrics.RealizedBadDebtUsd + unrealized;
        double net = Exhaustion.NetFundUsd(insuranceEnd, metrics.RealizedBadDebtUsd, metrics.InsuranceUsedUsd, unrealized);
        bool exhausted = Exhaustion.IsExhausted(net);
        double denom = metrics.LiquidatedDebtUsd + bad;
        for (int i = 0; i < venues.Length; i++)
        {
            Engine ve = venues[i].Engine;
            int m = 0;
            foreach ((_, double usd) in arbs[i].AmmInventoryPnl(ve))
            {
                metrics.Segment(venues[i].Index, true, ve.Markets[m++].Config.Id).AmmInventoryPnlUsd = usd;
            }

            m = 0;
            foreach ((_, double usd) in arbs[i].FundingPaid(ve))
            {
                metrics.Segment(venues[i].Index, true, ve.Markets[m++].Config.Id).FundingPaidUsd = usd;
            }
        }

        return new PathOutcome(
            path, bad, metrics.RealizedBadDebtUsd, unrealized, metrics.Liquidations, metrics.LiquidatedDebtUsd, metrics.LiquidationVolumeUsd,
            insuranceStart, insuranceEnd, metrics.InsuranceUsedUsd, drawdown, metrics.AdlVolumeUsd, metrics.SocializedUsd, exhausted,
            denom > 0 ? metrics.LiquidatedDebtUsd / denom : 1, metrics.KeeperSkips, metrics.BehaviourActions, minRatio,
            metrics.RiskAdjustments, metrics.OracleClamps, metrics.OraclePauses, metrics.RepegsRefused, series)
        {
            BookUsd = book,
            NetFundUsd = net,
            SocializedByPool = metrics.SocializedByPool,
            PriceFingerprint = Fingerprint(reference, steps),
            Segments = metrics.Segments(venues),
            FirstLoss = metrics.FirstLossName(venues) is { } where ? new FirstLoss(where, metrics.FirstLossStep * s.StepSeconds, metrics.FirstLossMove) : null,
            AmmInventoryPnlUsd = PerMarket(venues, (v, i) => arbs[i].AmmInventoryPnl(v.Engine)),
            FundingPaidUsd = PerMarket(venues, (v, i) => arbs[i].FundingPaid(v.Engine)),
            ArbitrageTrades = arbTrades,
            ArbitrageRefused = arbs.Sum(a => a.Refused),
            ArbitrageLastRefusal = arbs.Select(a => a.LastRefusal).LastOrDefault(x => x != null),
        };
    }

    /// <summary>Non-negative remainder (window offsets are negative during a burn-in).</summary>
    private static long Mod(long x, long m) => ((x % m) + m) % m;

    private static SortedDictionary<string, double> PerMarket(VenueState[] venues, Func<VenueState, int, IEnumerable<(string Market, double Usd)>> figures)
    {
        var d = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < venues.Length; i++)
        {
            foreach ((string market, double usd) in figures(venues[i], i))
            {
                d[$"{venues[i].Spec.Name}/{market}"] = usd;
            }
        }

        return d;
    }

    /// <summary>
    /// A publisher-fed asset in one block: first repegs the venue's vAMMs when the last <c>EndBlock</c> moved the
    /// engine's price (the aggregate, clamped or not, never the sim's raw answer), then every publisher of the
    /// feed reports the sim feed's current answer at the block time. Publishers report every block, changed or
    /// not: the engine ignores reports older than the feed's maxAge and a feed without a fresh quorum goes stale;
    /// and a clamped aggregate only keeps walking toward the answer while reports keep coming. Returns whether
    /// the engine's price moved (keepers rescan).
    /// </summary>
    private static bool Report(VenueState v, int asset, Address[] publishers, double answer, int step, PathMetrics metrics)
    {
        Engine e = v.Engine;
        long engine = e.Pools[asset].Price;
        bool moved = engine != v.Pegged[asset];
        if (moved)
        {
            Repeg(v, asset, engine, step, metrics);
            v.Pegged[asset] = engine;
        }

        long px = KeeperDesk.ToFixed(answer);

        // 0.1% of the price: a tight, agreeing network; never wider than the feed accepts.
        long maxConfidence = (long)((Int128)px * e.FeedOf(asset)!.Config.MaxConfidence / Precision.Ppm);
        long confidence = Math.Min(px / 1000, maxConfidence);
        foreach (Address publisher in publishers)
        {
            Require(e.Apply(new PriceReport(publisher, asset, px, confidence, e.Time)), v, asset, step, nameof(PriceReport));
        }

        return moved;
    }

    /// <summary>
    /// The venue repegs its vAMMs to each new price (Drift-style), re-centring the mark on it whatever inventory
    /// the reserves hold, so keepers closing taken positions trade near the index instead of against a stale curve. A repeg the market's fee pool cannot pay for is Core's
    /// economic answer, not a simulator fault: it is counted (the curve stays where it was until the next
    /// price); any other refusal throws.
    /// </summary>
    private static void Repeg(VenueState v, int asset, long px, int step, PathMetrics metrics)
    {
        foreach (PerpMarket m in v.Engine.Markets)
        {
            if (m.Config.BaseAsset == asset)
            {
                // Re-centre: the peg that puts the mark (∝ Q/B × peg) on the index with the reserves the AMM holds.
                long target = Math.Max(1, (long)Math.Round(px * ((double)m.BaseReserve / (double)m.QuoteReserve)));
                ActionResult r = v.Engine.Apply(new RepegAmm(v.Governance, m.Config.Id, target));
                if (r.Code == ErrorCode.AdjustmentTooExpensive)
                {
                    metrics.RepegsRefused++;
                    continue;
                }

                Require(r, v, asset, step, $"{nameof(RepegAmm)} of {m.Config.Symbol}");
            }
        }
    }

    /// <summary>A refused price or repeg action would leave the engine at a price the sim believes it moved: fail loudly.</summary>
    private static void Require(ActionResult r, VenueState v, int asset, int step, string action)
    {
        if (!r.Ok)
        {
            throw new InvalidOperationException(
                $"step {step}: {action} for {v.Engine.Genesis.Assets[asset].Symbol} on venue {v.Index} was refused: {r.CodeName}: {r.Message}");
        }
    }

    private static VenueState BuildVenue(Prepared p, int v)
    {
        VenueSpec spec = p.Scenario.Venues[v];
        Engine e = p.Populations[v].Build(out int[] ids);
        var funder = new AccountKey(new Address(0x5300_0000UL, 2, 2), 0);
        foreach ((int asset, double usd) in spec.InsuranceUsd)
        {
            e.Apply(new FundInsurance(funder.Owner, asset, PopulationTemplate.Worth(e, asset, usd)));
        }

        int quote = spec.Genesis.QuoteAsset;
        foreach ((int m, double usd) in spec.MarketInsuranceUsd)
        {
            long amount = PopulationTemplate.Worth(e, quote, usd);
            e.ImportBalance(funder, MarginMode.Cross, quote, amount);
            e.Apply(new FundMarketInsurance(funder.Owner, funder, m, amount));
        }

        return new VenueState(v, spec, e, ids, p.VenueToMarket[v]);
    }

    /// <summary>FNV-1a over the bits of every reference price: equal paths hash equal, so replays of one history can be counted once.</summary>
    private static ulong Fingerprint(double[][] reference, int steps)
    {
        ulong h = 14695981039346656037UL;
        foreach (double[] asset in reference)
        {
            for (int s = 0; s <= steps; s++)
            {
                h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(asset[s])) * 1099511628211UL;
            }
        }

        return h;
    }

    /// <summary>Book size: lending debt plus perp open interest, in USD at the engines' prices.</summary>
    private static double BookUsd(VenueState[] venues)
    {
        double usd = 0;
        foreach (VenueState v in venues)
        {
            Engine e = v.Engine;
            for (int a = 0; a < e.Pools.Length; a++)
            {
                usd += v.Usd(a, e.Pools[a].DebtClaims);
            }

            foreach (PerpMarket m in e.Markets)
            {
                usd += m.OpenInterest / Math.Pow(10, m.BaseQuantumDecimals) * (e.Pools[m.Config.BaseAsset].Price / 1e8);
            }
        }

        return usd;
    }

    /// <summary>Every insurance fund (per asset and per market) in USD at oracle prices.</summary>
    internal static double Insurance(VenueState[] venues)
    {
        double usd = 0;
        foreach (VenueState v in venues)
        {
            Engine e = v.Engine;
            for (int a = 0; a < e.Pools.Length; a++)
            {
                usd += v.Usd(a, e.Pools[a].Insurance);
            }

            foreach (PerpMarket m in e.Markets)
            {
                usd += v.Usd(e.Genesis.QuoteAsset, m.Insurance);
            }
        }

        return usd;
    }

    private static SeriesPoint Point(Prepared p, VenueState[] venues, int step, int windowStep, double[][] reference, double[][] market, OracleFeed[] feeds, int atRisk, PathMetrics m, double insurance)
    {
        int n = p.Symbols.Count;
        double coll = 0, debt = 0;
        foreach (VenueState v in venues)
        {
            for (int a = 0; a < v.Engine.Pools.Length; a++)
            {
                AssetPool pool = v.Engine.Pools[a];
                coll += v.Usd(a, pool.SupplyClaims);
                debt += v.Usd(a, pool.DebtClaims);
            }
        }

        AssetPool q = venues[0].Engine.Pools[venues[0].Engine.Genesis.QuoteAsset];
        var r = new double[n];
        var mk = new double[n];
        var o = new double[n];
        var en = new double[n];
        for (int a = 0; a < n; a++)
        {
            r[a] = reference[a][step];
            mk[a] = market[a][step];
            o[a] = feeds[a].Answer;
            en[a] = double.NaN;
            foreach (VenueState v in venues)
            {
                int id = a < v.FromMarket.Length ? v.FromMarket[a] : -1;
                if (id >= 0)
                {
                    en[a] = v.Engine.Pools[id].Price / 1e8;
                    break;
                }
            }
        }

        return new SeriesPoint(
            windowStep * p.Scenario.StepSeconds, r, mk, o, en, coll, debt, atRisk, m.Liquidations, m.LiquidationVolumeUsd,
            windowStep == 0 ? Insurance(venues) : insurance, m.AdlVolumeUsd, m.RealizedBadDebtUsd, KeeperDesk.Ray(q.Utilization), KeeperDesk.Ray(q.CurrentRates().Borrow));
    }
}


