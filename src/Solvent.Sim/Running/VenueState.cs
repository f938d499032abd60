using Solvent.Core;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>One venue inside one path: its engine, liquidation index and per-account keeper bookkeeping.</summary>
internal sealed class VenueState
{
    public VenueState(int index, VenueSpec spec, Engine engine, int[] ids, int[] toMarket)
    {
        Index = index;
        Spec = spec;
        Engine = engine;
        Ids = ids;
        ToMarket = toMarket;
        StartTime = engine.Time;
        Risk = new RiskIndex(engine);
        FirstSeen = new long[engine.Accounts.Count + 64];
        LastSeenStep = new int[FirstSeen.Length];
        Array.Fill(FirstSeen, -1);
        Array.Fill(LastSeenStep, -2);
    }

    public int Index { get; }

    /// <summary>Engine time when the path starts (genesis time, or the snapshot's).</summary>
    public long StartTime { get; }

    /// <summary>The liquidatable set of the last index tick.</summary>
    public List<int> Known { get; } = [];

    /// <summary>Exact evaluations the index's ticks have cost since its last rebuild.</summary>
    public long EvaluatedSinceRebuild { get; set; }

    public VenueSpec Spec { get; }

    public Engine Engine { get; }

    public RiskIndex Risk { get; }

    /// <summary>Dense ids of the generated accounts, by population index.</summary>
    public int[] Ids { get; }

    /// <summary>Venue asset id → market asset index.</summary>
    public int[] ToMarket { get; }

    /// <summary>Simulated time an account was first seen liquidatable in its current episode (−1 = not at risk).</summary>
    public long[] FirstSeen { get; private set; }

    /// <summary>Last step an account was seen liquidatable (an episode ends when it is not seen for a step).</summary>
    public int[] LastSeenStep { get; private set; }

    public Address Governance => Engine.Genesis.Governance;

    /// <summary>Notes an account in the liquidatable set at this step; returns when its episode began.</summary>
    public long Seen(int id, int step, long now)
    {
        if (id >= FirstSeen.Length)
        {
            int n = Math.Max(id + 1, FirstSeen.Length * 2);
            long[] f = FirstSeen;
            int[] l = LastSeenStep;
            Array.Resize(ref f, n);
            Array.Resize(ref l, n);
            Array.Fill(f, -1, FirstSeen.Length, n - FirstSeen.Length);
            Array.Fill(l, -2, LastSeenStep.Length, n - LastSeenStep.Length);
            FirstSeen = f;
            LastSeenStep = l;
        }

        if (FirstSeen[id] < 0 || LastSeenStep[id] < step - 1)
        {
            FirstSeen[id] = now;
        }

        LastSeenStep[id] = step;
        return FirstSeen[id];
    }

    /// <summary>USD value of an amount of a venue asset at the venue's oracle price.</summary>
    public double Usd(int asset, long amount) => (double)Engine.Pools[asset].ValueOf(amount, Core.Math.Rounding.Down) / 1e6;
}
