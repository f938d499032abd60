using Solvent.Core.Events;

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
                    LiquidationVolumeUsd += v.Usd(l.CollateralAsset, l.Seized);
                    break;
                case PerpLiquidated p:
                    Liquidations++;
                    LiquidatedDebtUsd += p.Notional / 1e6;
                    LiquidationVolumeUsd += p.Notional / 1e6;
                    break;
                case BadDebtRealized b:
                    RealizedBadDebtUsd += v.Usd(b.Asset, b.Amount);
                    break;
                case InsuranceCovered c:
                    InsuranceUsedUsd += v.Usd(c.Asset, c.Amount);
                    break;
                case LossSocialized s:
                    double usd = v.Usd(s.Asset, s.Amount);
                    SocializedUsd += usd;
                    string pool = $"{v.Spec.Name}/{v.Engine.Genesis.Assets[s.Asset].Symbol}";
                    SocializedByPool[pool] = SocializedByPool.GetValueOrDefault(pool) + usd;
                    break;
                case BackstopTakeover t:
                    Liquidations++;
                    LiquidationVolumeUsd += Math.Abs(t.Quote) / 1e6;
                    RealizedBadDebtUsd += t.Shortfall / 1e6;
                    InsuranceUsedUsd += t.InsurancePaid / 1e6;
                    break;
                case AutoDeleveraged a:
                    AdlVolumeUsd += Math.Abs(a.Quote) / 1e6;
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
