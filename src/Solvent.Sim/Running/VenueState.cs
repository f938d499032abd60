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
        StartTime = WindowStart = engine.Time;
        Risk = new RiskIndex(engine);
        FirstSeen = new long[engine.Accounts.Count + 64];
        LastSeenStep = new int[FirstSeen.Length];
        Array.Fill(FirstSeen, -1);
        Array.Fill(LastSeenStep, -2);
        int markets = 0;
        foreach (int m in toMarket)
        {
            markets = Math.Max(markets, m + 1);
        }

        FromMarket = new int[markets];
        Array.Fill(FromMarket, -1);
        for (int a = 0; a < toMarket.Length; a++)
        {
            FromMarket[toMarket[a]] = a;
        }

        Publishers = new Address[]?[toMarket.Length];
        Pegged = new long[toMarket.Length];
        for (int a = 0; a < toMarket.Length; a++)
        {
            if (engine.FeedOf(a) is { } f)
            {
                Publishers[a] = [.. f.Config.Publishers];
                Pegged[a] = engine.Pools[a].Price;
            }
        }

        RunsEndBlock = engine.Genesis.Oracles.Count > 0 || engine.Genesis.RiskControllers.Count > 0;
    }

    public int Index { get; }

    /// <summary>Engine time when the path starts (genesis time, or the snapshot's).</summary>
    public long StartTime { get; }

    /// <summary>Engine time when the measured window starts (after the burn-in): scenario windows (keeper outages, gas spikes) count from it.</summary>
    public long WindowStart { get; set; }

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

    /// <summary>Market asset index → venue asset id (−1 when the venue does not list it).</summary>
    public int[] FromMarket { get; }

    /// <summary>Per venue asset: the publishers of its oracle feed, or null when governance prices it.</summary>
    public Address[]?[] Publishers { get; }

    /// <summary>Per publisher-fed venue asset: the engine price its vAMMs were last repegged to.</summary>
    public long[] Pegged { get; }

    /// <summary>Whether the genesis has oracle feeds or risk controllers, so each block needs <see cref="Engine.EndBlock"/>.</summary>
    public bool RunsEndBlock { get; }

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
