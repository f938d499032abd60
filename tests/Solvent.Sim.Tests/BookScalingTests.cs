using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>
/// Results normalised by the book do not depend on how many accounts sample it: funds, pools, keeper and
/// arbitrage capital and vAMM depth scale with <c>--accounts</c>. Lending books only: a perp book's liquidated
/// share still moves with the sample size (docs/stress.md, known limits).
/// </summary>
public class BookScalingTests
{
    private const string Keepers = """{ "count": 3, "latencySeconds": { "dist": "lognormal", "median": 60, "sigma": 0.7 }, "capitalUsd": 1e9, "minProfitUsd": 5, "gasUsd": 2 }""";
    private const string Pools = """{ "recoveryHalfLifeSeconds": 1800, "pools": { "ETH": { "depthUsd": 4e6 }, "WBTC": { "depthUsd": 4e6 }, "SOL": { "depthUsd": 1e6 } } }""";

    [Fact]
    public void Lending_liquidation_volume_and_bad_debt_as_shares_of_the_book_are_stable_from_500_to_4000_accounts()
    {
        string json = SimScenarios.Json("""{ "model": "ramp", "rampMove": -0.45 }""", Keepers, Pools, accounts: 1000, perpShare: 0, duration: 6 * 3600);
        json = json.TrimEnd().TrimEnd('}') + """, "perpArbitrage": { "capitalUsd": 2e6, "maxLeverage": 5 } }""";
        Scenario s = SimScenarios.Parse(json);
        var rows = new List<(int Accounts, double Liquidated, double Bad)>();
        foreach (int n in new[] { 500, 1000, 2000, 4000 })
        {
            PathOutcome o = StressRunner.Run(ScenarioOverrides.WithAccounts(s, n), 1).Outcomes[0];
            rows.Add((n, o.LiquidationVolumeUsd / o.BookUsd, o.BadDebtUsd / o.BookUsd));
        }

        string table = string.Join("; ", rows.Select(r => $"{r.Accounts}: liquidated {r.Liquidated:P2}, bad debt {r.Bad:P3} of book"));
        Assert.True(rows[0].Liquidated > 0.02, "the fall must liquidate a real share of the book: " + table);
        double lo = rows.Min(r => r.Liquidated), hi = rows.Max(r => r.Liquidated);
        Assert.True(hi / lo < 1.3, "liquidation volume / book moves with the sample size: " + table);
        double badLo = rows.Min(r => r.Bad), badHi = rows.Max(r => r.Bad);
        Assert.True(badHi / badLo < 1.15, "bad debt / book moves with the sample size: " + table);
    }
}
