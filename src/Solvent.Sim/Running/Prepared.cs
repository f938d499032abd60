using Solvent.Sim.Population;
using Solvent.Sim.Prices;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>Everything paths share, built once per scenario and read-only afterwards (so paths may run in parallel).</summary>
internal sealed class Prepared
{
    public Prepared(Scenario s)
    {
        Scenario = s;
        var symbols = new List<string>();
        var initial = new List<double>();
        Populations = [.. s.Venues.Select(v => v.Snapshot is { } snap
            ? (VenueBook)new SnapshotBook(v, snap, s.Behaviour.Share)
            : new PopulationTemplate(v.Population!, v.Genesis, s.Behaviour.Share))];
        VenueToMarket = new int[s.Venues.Count][];
        for (int v = 0; v < s.Venues.Count; v++)
        {
            var g = s.Venues[v].Genesis;
            VenueToMarket[v] = new int[g.Assets.Count];
            for (int a = 0; a < g.Assets.Count; a++)
            {
                int i = symbols.FindIndex(x => string.Equals(x, g.Assets[a].Symbol, StringComparison.OrdinalIgnoreCase));
                if (i < 0)
                {
                    symbols.Add(g.Assets[a].Symbol);
                    initial.Add(Populations[v].StartPrice(a));
                    i = symbols.Count - 1;
                }

                VenueToMarket[v][a] = i;
            }
        }

        Symbols = symbols;
        Initial = [.. initial];
        Plan = new PricePlan(s.Prices, symbols, Initial);
    }

    public Scenario Scenario { get; }

    /// <summary>Market assets (the union of every venue's symbols); pools and feeds are per market asset, shared by venues.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>Start price per market asset: the first venue listing it (its genesis, or its snapshot).</summary>
    public double[] Initial { get; }

    public PricePlan Plan { get; }

    public VenueBook[] Populations { get; }

    /// <summary>[venue][venue asset id] → market asset index.</summary>
    public int[][] VenueToMarket { get; }
}
