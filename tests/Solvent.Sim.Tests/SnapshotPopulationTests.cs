using System.Text.Json;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Sim.Reports;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Solvent.Storage;

namespace Solvent.Sim.Tests;

/// <summary>Populations loaded from a node's snapshot (<c>population.snapshot</c>).</summary>
public sealed class SnapshotPopulationTests : IDisposable
{
    private const string Keepers = """{ "count": 3, "latencySeconds": { "dist": "lognormal", "median": 60, "sigma": 1 }, "capitalUsd": 1e8, "minProfitUsd": 5, "gasUsd": 2 }""";
    private const string Gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "sigma": 1.5, "jumpIntensity": 300, "jumpMean": -0.02, "jumpStd": 0.05 }, { "symbol": "WBTC", "sigma": 1.0 } ], "correlation": [[1, 0.8], [0.8, 1]], "shock": 0.2, "shockAtSeconds": 3600 }""";
    private const string Pools = """{ "pools": { "ETH": { "depthUsd": 5e6 }, "WBTC": { "depthUsd": 5e6 }, "SOL": { "depthUsd": 1e6 } } }""";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "solvent-sim-snapshot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void A_snapshot_of_the_generated_book_runs_exactly_like_the_generated_book()
    {
        Scenario generated = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 250, paths: 3));
        Engine book = new Prepared(generated).Populations[0].Build(out _);
        WriteSnapshot(book, height: 7);

        Scenario restored = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, paths: 3, population: Population(_dir)));
        StressSummary a = StressRunner.Run(generated).Summary;
        StressSummary b = StressRunner.Run(restored).Summary;
        Assert.True(a.Liquidations.Max > 0, "the stress must liquidate someone, or equality proves little");

        // The generated count leaves out the book's lender; the restored book counts every account.
        Assert.Equal(book.Accounts.Count, b.Accounts);
        Assert.Equal(SummaryJson.Serialize(a with { Accounts = 0 }), SummaryJson.Serialize(b with { Accounts = 0 }));
    }

    [Fact]
    public void The_run_starts_at_the_snapshot_prices_time_and_risk_parameters_with_caps_lifted()
    {
        Scenario generated = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 50));
        Engine e = new Prepared(generated).Populations[0].Build(out _);
        int eth = e.Genesis.FindAsset("ETH");
        long genesisPrice = e.Pools[eth].Price;
        e.AdvanceTo(e.Time + 86_400);
        Assert.True(e.Apply(new SetOraclePrice(e.Genesis.Governance, eth, genesisPrice * 3 / 2)).Ok);
        var changed = e.Pools[eth].Risk with { LiquidationPenalty = 61_000, SupplyCap = 1 };
        Assert.True(e.Apply(new UpdateAssetRisk(e.Genesis.Governance, eth, changed)).Ok);
        long snapshotTime = e.Time;
        WriteSnapshot(e, height: 9);

        Scenario s = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, population: Population(_dir)));
        var p = new Prepared(s);
        Assert.Equal(genesisPrice * 1.5 / 1e8, p.Initial[p.Symbols.ToList().IndexOf("ETH")], 6);
        Engine built = p.Populations[0].Build(out int[] ids);
        Assert.Equal(snapshotTime, built.Time);
        Assert.Equal(e.Accounts.Count, ids.Length);
        Assert.Equal(61_000, built.Pools[eth].Risk.LiquidationPenalty);
        Assert.Equal(0, built.Pools[eth].Risk.SupplyCap);

        // A sweep's change replays on the snapshot's parameters, which replace the genesis'.
        Engine swept = new Prepared(ScenarioOverrides.Apply(s, "liquidationPenalty", 0.07)).Populations[0].Build(out _);
        Assert.Equal(70_000, swept.Pools[eth].Risk.LiquidationPenalty);
    }

    [Fact]
    public void A_data_directory_loads_its_newest_snapshot()
    {
        Scenario generated = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 30));
        Engine e = new Prepared(generated).Populations[0].Build(out _);
        WriteSnapshot(e, height: 3);
        e.AdvanceTo(e.Time + 600);
        WriteSnapshot(e, height: 4);
        Scenario s = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, population: Population(_dir)));
        Assert.Equal(4, s.Venues[0].Snapshot!.Height);
        Assert.Equal(e.Time, new Prepared(s).Populations[0].Build(out _).Time);
    }

    [Fact]
    public void Bad_snapshots_are_refused_when_the_scenario_loads_naming_the_field()
    {
        Scenario generated = SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, accounts: 30));
        Engine e = new Prepared(generated).Populations[0].Build(out _);

        Refused(Population(Path.Combine(_dir, "missing")), "does not exist");
        Directory.CreateDirectory(_dir);
        Refused(Population(_dir), "holds no intact snapshot");

        string file = WriteSnapshot(e, height: 5);
        Refused("""{ "snapshot": FILE, "accounts": 10 }""".Replace("FILE", JsonSerializer.Serialize(file), StringComparison.Ordinal), "cannot also be generated", "$.venues[0].population.accounts");

        byte[] bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        Refused(Population(file), "not an intact snapshot");

        string bare = new SnapshotStore(_dir).Write(new Snapshot(6, e.Time, e.ComputeStateRoot(), new byte[32], 0, []));
        Refused(Population(bare), "holds no engine state");

        // The root recorded beside the state must be the state's own.
        string lying = new SnapshotStore(_dir).Write(new Snapshot(8, e.Time, new byte[32], new byte[32], 0, Image(e)));
        Refused(Population(lying), "hashes to");

        // A book from a genesis with other feeds does not restore on this one.
        string oracleJson = SimScenarios.Json(Gbm, Keepers, Pools, genesis: "genesis.oracle.json", population: Population(WriteSnapshot(e, height: 10)));
        ScenarioException x = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(oracleJson));
        Assert.Contains("does not restore", x.Message, StringComparison.Ordinal);
    }

    private static void Refused(string population, string expected, string path = "$.venues[0].population.snapshot")
    {
        ScenarioException x = Assert.Throws<ScenarioException>(() => SimScenarios.Parse(SimScenarios.Json(Gbm, Keepers, Pools, population: population)));
        Assert.Contains(expected, x.Message, StringComparison.Ordinal);
        Assert.Equal(path, x.JsonPath);
    }

    private static string Population(string path) => $$"""{ "snapshot": {{JsonSerializer.Serialize(path)}} }""";

    // What a node stores: the engine state in the state image, and no signer nonces.
    private static byte[] Image(Engine e) => StateImage.Encode(e.SaveSnapshot(), 0, 4, out _);

    private string WriteSnapshot(Engine e, long height) =>
        new SnapshotStore(_dir).Write(new Snapshot(height, e.Time, e.ComputeStateRoot(), new byte[32], 0, Image(e)));
}
