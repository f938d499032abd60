using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Sim.Population;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>
/// Borrowers who watch their health: every check interval, a responsive account whose health factor is
/// below the trigger either tops up collateral or repays debt (a fixed share of them top up) until it is
/// back at the target — through ordinary <c>Deposit</c> and <c>Repay</c> actions.
/// </summary>
internal static class Behaviour
{
    public static void React(VenueState v, VenueBook pop, BehaviourSpec spec, PathMetrics m)
    {
        Engine e = v.Engine;
        for (int i = 0; i < v.Ids.Length; i++)
        {
            int id = v.Ids[i];
            if (id < 0 || !pop.Responsive[i])
            {
                continue;
            }

            Health h = e.HealthOf(id);
            if (h.HealthFactorWad is not { } hfw)
            {
                continue;
            }

            double hf = (double)hfw / (double)Precision.Wad;
            if (hf >= spec.HealthFactor)
            {
                continue;
            }

            double mc = (double)h.MaintenanceCollateral / 1e6, ml = (double)h.MaintenanceLiabilities / 1e6;
            AccountKey key = e.Accounts.KeyOf(id);
            bool topUp = (uint)(i * 2654435761u) % 1000 < spec.TopUpShare * 1000;
            ReadOnlySpan<long> b = e.Accounts.Balances(id);
            int coll = -1, debt = -1;
            for (int a = 0; a < b.Length; a++)
            {
                if (b[a] > 0 && coll < 0 && e.Pools[a].Risk.Collateral)
                {
                    coll = a;
                }

                if (b[a] < 0 && debt < 0)
                {
                    debt = a;
                }
            }

            ActionResult r;
            if (topUp || debt < 0)
            {
                int a = coll >= 0 ? coll : e.Genesis.QuoteAsset;
                double w = e.Pools[a].Risk.MaintenanceAssetWeight / 1e6;
                double usd = ((spec.TargetHealthFactor * ml) - mc) / Math.Max(w, 0.01);
                r = e.Apply(new Deposit(key.Owner, key, a, PopulationTemplate.Worth(e, a, usd)));
            }
            else
            {
                double w = e.Pools[debt].Risk.MaintenanceLiabilityWeight / 1e6;
                double usd = (ml - (mc / spec.TargetHealthFactor)) / w;
                long owed = e.Pools[debt].ScaledToDebt(-b[debt]);
                r = e.Apply(new Repay(key.Owner, key, debt, Math.Min(owed, PopulationTemplate.Worth(e, debt, usd))));
            }

            if (r.Ok)
            {
                m.BehaviourActions++;
            }
        }
    }
}
