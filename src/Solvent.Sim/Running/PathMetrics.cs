using Solvent.Core;
using Solvent.Core.Events;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Sim.Running;

/// <summary>Running totals for one path, fed by the engine's own events (so they count what Core did, not what the simulator meant to do).</summary>
internal sealed class PathMetrics
{
    public int Liquidations;
    public double LiquidatedDebtUsd;
    public double LiquidationVolumeUsd;
    public double RealizedBadDebtUsd;
    public double InsuranceUsedUsd;
    public double AdlVolumeUsd;
    public double SocializedUsd;
    public int KeeperSkips;
    public int BehaviourActions;
    public int RiskAdjustments;
    public int OracleClamps;
    public int OraclePauses;
    public int RepegsRefused;

    /// <summary>Losses socialized over suppliers, per <c>venue/asset</c> pool (ordinal order, so reports are stable).</summary>
    public SortedDictionary<string, double> SocializedByPool { get; } = new(StringComparer.Ordinal);

    /// <summary>Per lending asset and perp market of each venue (created on first use; read out in key order).</summary>
    private readonly Dictionary<(int Venue, bool Market, int Id), SegmentFigures> _segments = [];

    /// <summary>Current step and the largest fall of any asset's market price from its start so far (set by the runner each step).</summary>
    public int Step;

    /// <summary>See <see cref="Step"/>: 1 − lowest price / start price over assets, so far.</summary>
    public double Move;

    /// <summary>Step of the path's first bad debt (−1 = none yet).</summary>
    public int FirstLossStep = -1;

    /// <summary><see cref="Move"/> when the first bad debt happened.</summary>
    public double FirstLossMove;

    /// <summary>The segment that took the first bad debt: (venue, market?, id).</summary>
    public (int Venue, bool Market, int Id) FirstLossSegment;

    /// <summary>One segment's figures, created on first use.</summary>
    public SegmentFigures Segment(int venue, bool market, int id)
    {
        if (!_segments.TryGetValue((venue, market, id), out SegmentFigures? f))
        {
            f = new SegmentFigures();
            _segments[(venue, market, id)] = f;
        }

        return f;
    }

    /// <summary>Books each segment's size at the start: lending debt and supply per asset, open interest per market.</summary>
    public void StartBook(VenueState[] venues)
    {
        foreach (VenueState v in venues)
        {
            Engine e = v.Engine;
            for (int a = 0; a < e.Pools.Length; a++)
            {
                SegmentFigures f = Segment(v.Index, false, a);
                f.BookUsd = v.Usd(a, e.Pools[a].DebtClaims);
                f.CollateralUsd = v.Usd(a, e.Pools[a].SupplyClaims);
            }

            foreach (PerpMarket m in e.Markets)
            {
                SegmentFigures f = Segment(v.Index, true, m.Config.Id);
                f.BookUsd = f.CollateralUsd = m.OpenInterest / Math.Pow(10, m.BaseQuantumDecimals) * (e.Pools[m.Config.BaseAsset].Price / 1e8);
            }
        }
    }

    /// <summary>
    /// Spreads an account's negative equity left at the end over what it owes, in proportion: each borrowed
    /// asset by its debt value, each perp position by its unrealized loss. An account that owes nothing (equity
    /// below zero through rounding) is booked on the venue's quote asset.
    /// </summary>
    public void Underwater(VenueState v, int id, double negativeEquityUsd)
    {
        Engine e = v.Engine;
        ReadOnlySpan<long> balances = e.Accounts.Balances(id);
        double owed = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int a = 0; a < balances.Length; a++)
            {
                if (balances[a] < 0)
                {
                    AssetPool p = e.Pools[a];
                    double debt = (double)p.ValueOf(p.ScaledToDebt(-balances[a]), Core.Math.Rounding.Up) / 1e6;
                    Attribute(v, false, a, debt, pass, owed, negativeEquityUsd, ref owed);
                }
            }

            ReadOnlySpan<long> sizes = e.Accounts.Sizes(id);
            for (int m = 0; m < sizes.Length; m++)
            {
                if (sizes[m] != 0)
                {
                    PerpMarket market = e.Markets[m];
                    AssetPool b = e.Pools[market.Config.BaseAsset];
                    long pnl = PerpHealth.Pnl(market, sizes[m], e.Accounts.Quote(id, m), e.Accounts.FundingSnapshot(id, m), b.Price, b.ValueDivisor);
                    Attribute(v, true, m, pnl < 0 ? -pnl / 1e6 : 0, pass, owed, negativeEquityUsd, ref owed);
                }
            }

            if (owed <= 0)
            {
                Attribute(v, false, e.Genesis.QuoteAsset, 1, 1, 1, negativeEquityUsd, ref owed);
                return;
            }
        }
    }

    /// <summary>Pass 0 sums what is owed; pass 1 books each liability's share of the negative equity.</summary>
    private void Attribute(VenueState v, bool market, int id, double liability, int pass, double total, double negativeEquityUsd, ref double owed)
    {
        if (liability <= 0)
        {
            return;
        }

        if (pass == 0)
        {
            owed += liability;
            return;
        }

        double share = negativeEquityUsd * liability / total;
        SegmentFigures f = Segment(v.Index, market, id);
        f.BadDebtUsd += share;
        f.UnderwaterUsd += share;
        FirstLoss(v.Index, market, id);
    }

    /// <summary>Notes the first bad debt of the path: where, when and after how large a price fall.</summary>
    private void FirstLoss(int venue, bool market, int id)
    {
        if (FirstLossStep < 0)
        {
            FirstLossStep = Step;
            FirstLossMove = Move;
            FirstLossSegment = (venue, market, id);
        }
    }

    /// <summary>Every segment's figures, named, in (venue, lending before markets, id) order.</summary>
    public IReadOnlyList<PathSegment> Segments(VenueState[] venues) =>
        [.. _segments.OrderBy(kv => kv.Key.Venue).ThenBy(kv => kv.Key.Market).ThenBy(kv => kv.Key.Id)
            .Select(kv => new PathSegment(venues[kv.Key.Venue].Spec.Name, SymbolOf(venues[kv.Key.Venue], kv.Key.Market, kv.Key.Id), kv.Key.Market, kv.Value))];

    /// <summary>The name of the segment of the first bad debt (null when the path had none).</summary>
    public string? FirstLossName(VenueState[] venues) => FirstLossStep < 0
        ? null
        : $"{venues[FirstLossSegment.Venue].Spec.Name}/{SymbolOf(venues[FirstLossSegment.Venue], FirstLossSegment.Market, FirstLossSegment.Id)}";

    private static string SymbolOf(VenueState v, bool market, int id) =>
        market ? v.Engine.Markets[id].Config.Symbol : v.Engine.Genesis.Assets[id].Symbol;

    /// <summary>Books every event of an accepted action.</summary>
    public void Record(VenueState v, ArraySegment<EngineEvent> events)
    {
        foreach (EngineEvent ev in events)
        {
            switch (ev)
            {
                case Liquidated l:
                    Liquidations++;
                    LiquidatedDebtUsd += v.Usd(l.DebtAsset, l.Repaid);
                    double seized = v.Usd(l.CollateralAsset, l.Seized);
                    LiquidationVolumeUsd += seized;
                    Segment(v.Index, false, l.CollateralAsset).LiquidationVolumeUsd += seized;
                    break;
                case PerpLiquidated p:
                    Liquidations++;
                    LiquidatedDebtUsd += p.Notional / 1e6;
                    LiquidationVolumeUsd += p.Notional / 1e6;
                    Segment(v.Index, true, p.Market).LiquidationVolumeUsd += p.Notional / 1e6;
                    break;
                case BadDebtRealized b:
                    double bad = v.Usd(b.Asset, b.Amount);
                    RealizedBadDebtUsd += bad;
                    Segment(v.Index, false, b.Asset).BadDebtUsd += bad;
                    if (bad > 0)
                    {
                        FirstLoss(v.Index, false, b.Asset);
                    }

                    break;
                case InsuranceCovered c:
                    InsuranceUsedUsd += v.Usd(c.Asset, c.Amount);
                    Segment(v.Index, false, c.Asset).InsurancePaidUsd += v.Usd(c.Asset, c.Amount);
                    break;
                case LossSocialized s:
                    double usd = v.Usd(s.Asset, s.Amount);
                    SocializedUsd += usd;
                    Segment(v.Index, false, s.Asset).SocializedUsd += usd;
                    string pool = $"{v.Spec.Name}/{v.Engine.Genesis.Assets[s.Asset].Symbol}";
                    SocializedByPool[pool] = SocializedByPool.GetValueOrDefault(pool) + usd;
                    break;
                case BackstopTakeover t:
                    Liquidations++;
                    LiquidationVolumeUsd += Math.Abs(t.Quote) / 1e6;
                    RealizedBadDebtUsd += t.Shortfall / 1e6;
                    InsuranceUsedUsd += t.InsurancePaid / 1e6;
                    SegmentFigures mf = Segment(v.Index, true, t.Market);
                    mf.LiquidationVolumeUsd += Math.Abs(t.Quote) / 1e6;
                    mf.BadDebtUsd += t.Shortfall / 1e6;
                    mf.InsurancePaidUsd += t.InsurancePaid / 1e6;
                    mf.AdlLossUsd += Math.Max(0, t.Shortfall - t.InsurancePaid) / 1e6;
                    if (t.Shortfall > 0)
                    {
                        FirstLoss(v.Index, true, t.Market);
                    }

                    break;
                case AutoDeleveraged a:
                    AdlVolumeUsd += Math.Abs(a.Quote) / 1e6;
                    Segment(v.Index, true, a.Market).AdlVolumeUsd += Math.Abs(a.Quote) / 1e6;
                    break;
            }
        }
    }

    /// <summary>Books the events of one <c>EndBlock</c>: risk-controller steps and oracle guards that fired.</summary>
    public void RecordEndBlock(IReadOnlyList<EngineEvent> events)
    {
        for (int i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case RiskParameterAdjusted:
                    RiskAdjustments++;
                    break;
                case OraclePriceClamped:
                    OracleClamps++;
                    break;
                case OracleFeedPaused:
                    OraclePauses++;
                    break;
            }
        }
    }
}
