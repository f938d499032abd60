using Solvent.Core;
using Solvent.Core.State;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>Arbitrageurs keep each vAMM's mark near the index; the vAMM's inventory PnL and funding are reported per market.</summary>
public class PerpMarketModelTests
{
    private const string Keepers = """{ "count": 3, "latencySeconds": 30, "capitalUsd": 1e10, "minProfitUsd": 1, "gasUsd": 1 }""";
    private const string Prices = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.2 }, { "symbol": "WBTC", "sigma": 0.9 } ], "shock": 0.2, "shockAtSeconds": 3600 }""";

    private static (PathOutcome Outcome, double WorstGap) Run(bool arbitrage)
    {
        string json = SimScenarios.Json(Prices, Keepers, accounts: 400, perpShare: 0.6, duration: 4 * 3600);
        if (arbitrage)
        {
            json = json.TrimEnd().TrimEnd('}') + """, "perpArbitrage": { "capitalUsd": 5e7, "maxLeverage": 5 } }""";
        }

        Scenario s = SimScenarios.Parse(json);
        double worst = 0;
        PathOutcome o = PathRunner.Run(new Prepared(s), 0, StressRunner.PathSeed(s.Seed, 0), s.Prices.Shock, 1, false, engines =>
        {
            Engine e = engines[0];
            foreach (PerpMarket m in e.Markets)
            {
                worst = Math.Max(worst, Math.Abs(((double)m.MarkPrice / e.Pools[m.Config.BaseAsset].Price) - 1));
            }
        });
        return (o, worst);
    }

    [Fact]
    public void Arbitrageurs_keep_every_mark_within_a_percent_of_the_index_where_repegs_alone_do_not()
    {
        (PathOutcome without, double gapWithout) = Run(false);
        (PathOutcome with, double gapWith) = Run(true);
        Assert.True(with.ArbitrageTrades > 0);
        Assert.True(gapWith < 0.01, $"with arbitrageurs the widest mark/index gap at the end is {gapWith:P2}; {with.ArbitrageTrades} trades, {with.ArbitrageRefused} refused, last {with.ArbitrageLastRefusal}");
        Assert.True(gapWithout > gapWith, $"without {gapWithout:P2}, with {gapWith:P2}: arbitrage changed nothing, the test proves nothing");
        Assert.True(without.Liquidations > 0, "the shock liquidated no one");
    }

    [Fact]
    public void Amm_inventory_pnl_and_funding_are_reported_for_every_market()
    {
        (PathOutcome o, _) = Run(true);
        Assert.Equal(["BTC-PERP", "ETH-PERP", "SOL-PERP"], o.AmmInventoryPnlUsd.Keys.Select(k => k[(k.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
        Assert.Equal(o.AmmInventoryPnlUsd.Keys, o.FundingPaidUsd.Keys);
        Assert.Contains(o.AmmInventoryPnlUsd.Values, x => x != 0);
        Assert.All(o.AmmInventoryPnlUsd.Values, x => Assert.True(double.IsFinite(x)));
    }
}
