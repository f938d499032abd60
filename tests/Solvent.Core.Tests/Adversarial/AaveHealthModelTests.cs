using System.Numerics;
using CsCheck;
using Solvent.Core.Config;
using Solvent.Core.Risk;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// The genesis <c>healthModel: "aave"</c>: maintenance health with Aave v3's floored average
/// liquidation threshold, decided the same way by the engine, the fast scan and the risk index.
/// </summary>
public class AaveHealthModelTests
{
    private static Genesis AaveGenesis() => ExampleGenesis() with { HealthModel = HealthModel.Aave };

    /// <summary>
    /// 3 ETH at $3,000 (threshold 0.83) and 7 SOL at $150 (0.72) against $8,225.95 of USDC debt.
    /// Collateral C = $10,050, Σ value × threshold = $8,226, so the exact model has $0.05 of health;
    /// Aave averages 8,226 / 10,050 = 0.81850… and floors it to 8,185 bp: C × 0.8185 = $8,225.925,
    /// $0.025 short of the debt.
    /// </summary>
    private static (Engine Engine, int Id) Straddler(Genesis g)
    {
        var e = new Engine(g);
        e.ImportBalance(Acct(100_000), MarginMode.Cross, USDC, 1_000_000_000_000);
        AccountKey k = Acct(1);
        e.ImportBalance(k, MarginMode.Cross, ETH, 3_000_000_000);        // 3 ETH, 9 quantum decimals
        e.ImportBalance(k, MarginMode.Cross, SOL, 7_000_000_000);        // 7 SOL
        e.ImportBalance(k, MarginMode.Cross, USDC, -8_225_950_000);      // $8,225.95
        return (e, e.Accounts.Find(k));
    }

    [Fact]
    public void An_account_between_the_two_models_is_liquidatable_only_under_aave()
    {
        (Engine exact, int xid) = Straddler(ExampleGenesis());
        Health hx = exact.HealthOf(xid);
        Assert.Equal(50_000, hx.MaintenanceHealth);                      // $8,226 − $8,225.95
        Assert.False(hx.IsLiquidatable);
        Assert.Empty(RiskIndex.ExactScan(exact));
        Assert.False(new FastScan(exact).IsLiquidatable(xid));

        (Engine aave, int id) = Straddler(AaveGenesis());
        Health h = aave.HealthOf(id);
        Assert.Equal(-25_000, h.MaintenanceHealth);                      // $8,225.925 − $8,225.95
        Assert.True(h.IsLiquidatable);
        Assert.Equal(-25_000, aave.MaintenanceHealthOf(id));

        // Aave's health factor from the dollar figures: 10,050 × 8,185 / 10⁴ / 8,225.95, floored to 1e-18.
        BigInteger wad = BigInteger.Pow(10, 18);
        BigInteger hf = BigInteger.Divide(10_050 * 8_185 * wad * 100, 822_595 * BigInteger.Pow(10, 4));
        Assert.Equal(hf, (BigInteger)h.HealthFactorWad!.Value);

        // The fast paths must not call it healthy: its exact-model estimate is $0.05 above zero.
        var scan = new FastScan(aave);
        Assert.True(scan.IsLiquidatable(id));
        Assert.Equal([id], RiskIndex.ExactScan(aave));
        Assert.Equal([id], RiskIndex.FullScan(aave));
        Assert.Equal([id], new RiskIndex(aave).Tick());
    }

    [Fact]
    public void Aave_model_is_in_the_state_root_and_a_snapshot_is_tied_to_it()
    {
        (Engine exact, _) = Straddler(ExampleGenesis());
        (Engine aave, _) = Straddler(AaveGenesis());
        Assert.NotEqual(exact.ComputeStateRoot(), aave.ComputeStateRoot());

        Engine copy = Engine.RestoreSnapshot(AaveGenesis(), aave.SaveSnapshot(), aave.ComputeStateRoot());
        Assert.Equal(aave.ComputeStateRoot(), copy.ComputeStateRoot());
        Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(ExampleGenesis(), aave.SaveSnapshot(), aave.ComputeStateRoot()));
        Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(AaveGenesis(), exact.SaveSnapshot(), exact.ComputeStateRoot()));
    }

    [Theory]
    [InlineData("\"aave\"", HealthModel.Aave)]
    [InlineData("\"exact\"", HealthModel.Exact)]
    [InlineData(null, HealthModel.Exact)]
    public void Genesis_reads_the_health_model(string? value, HealthModel expected)
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"));
        if (value is not null)
        {
            json = json.Replace("\"chainId\": 31337,", $"\"chainId\": 31337, \"healthModel\": {value},", StringComparison.Ordinal);
        }

        Assert.Equal(expected, GenesisLoader.Parse(json).HealthModel);
    }

    [Fact]
    public void Genesis_refuses_an_unknown_health_model()
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"))
            .Replace("\"chainId\": 31337,", "\"chainId\": 31337, \"healthModel\": \"Aave-v2\",", StringComparison.Ordinal);
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(json));
        Assert.Contains("healthModel: must be \"exact\" or \"aave\", not \"Aave-v2\"", e.Errors);
    }

    [Fact]
    public void Aave_model_keeps_initial_weights_a_basis_point_below_maintenance()
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"))
            .Replace("\"chainId\": 31337,", "\"chainId\": 31337, \"healthModel\": \"aave\",", StringComparison.Ordinal)
            .Replace("\"initialAssetWeight\": \"0.805\"", "\"initialAssetWeight\": \"0.82995\"", StringComparison.Ordinal);
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(json));
        Assert.Contains(e.Errors, m => m.StartsWith("assets[2].initialAssetWeight: under healthModel \"aave\" must be at least 0.0001 below", StringComparison.Ordinal));
        Assert.Equal(HealthModel.Exact, GenesisLoader.Parse(json.Replace("\"healthModel\": \"aave\",", "", StringComparison.Ordinal)).HealthModel);

        AssetRiskParams tight = ExampleGenesis().Risk[ETH] with { InitialAssetWeight = 829_950 };
        var aave = new Engine(AaveGenesis());
        Actions.ActionResult r = aave.Apply(new Actions.UpdateAssetRisk(Gov, ETH, tight));
        Assert.Equal(Actions.ErrorCode.InvalidParameter, r.Code);
        Assert.Equal(ExampleGenesis().Risk[ETH], aave.Pools[ETH].Risk);
        Assert.True(new Engine(ExampleGenesis()).Apply(new Actions.UpdateAssetRisk(Gov, ETH, tight)).Ok);
        Assert.True(aave.Apply(new Actions.UpdateAssetRisk(Gov, ETH, tight with { InitialAssetWeight = 829_900 })).Ok);
    }

    /// <summary>
    /// On random multi-collateral balances: Aave-model maintenance collateral is the exact model's, less
    /// under 1 bp of the collateral value plus one unit, and never above it by more than one unit per
    /// term; and it equals ⌊C × ⌊Σ v·w / (C·100)⌋ / 10⁴⌋ recomputed here from the per-asset values.
    /// </summary>
    [Fact]
    public void Aave_maintenance_collateral_is_within_one_basis_point_of_exact()
    {
        Genesis g = ExampleGenesis();
        Gen.Select(Gen.Long[0, 5_000_000_000_000], Gen.Long[0, 50_000_000_000], Gen.Long[0, 200_000_000_000], Gen.Long[0, 10_000_000_000], Gen.Long[0, 1_000_000_000_000])
            .Sample((usdc, eth, sol, btc, usdt) =>
            {
                var e = new Engine(g);
                long[] scaled = [usdc, usdt, eth, btc, sol];
                Health x = HealthCalculator.Evaluate(scaled, e.Pools, HealthModel.Exact);
                Health a = HealthCalculator.Evaluate(scaled, e.Pools, HealthModel.Aave);
                Int128 c = 0;
                BigInteger weighted = 0;
                for (int i = 0; i < scaled.Length; i++)
                {
                    AssetPool p = e.Pools[i];
                    if (!p.Risk.Collateral || p.Risk.MaintenanceAssetWeight == 0)
                    {
                        continue;
                    }

                    Int128 v = p.ValueOf(p.ScaledToSupply(scaled[i]), Math.Rounding.Down);
                    c += v;
                    weighted += (BigInteger)v * p.Risk.MaintenanceAssetWeight;
                }

                Int128 expected = c == 0 ? 0 : (Int128)((BigInteger)c * (weighted / ((BigInteger)c * 100)) / 10_000);
                Assert.Equal(expected, a.MaintenanceCollateral);
                Assert.True(a.MaintenanceCollateral <= x.MaintenanceCollateral + scaled.Length);
                Assert.True(x.MaintenanceCollateral - a.MaintenanceCollateral <= (c / 10_000) + 1);
                Assert.Equal(x.InitialHealth, a.InitialHealth);
            },
            iter: 2_000);
    }

    [Fact]
    public void Index_set_equals_full_scan_under_the_aave_model() =>
        RiskIndexTests.CheckIndexAgainstScans(AaveGenesis(), iter: 6);

    /// <summary>
    /// Weights of 0.11–0.23: the 1 bp step of the floored average is then larger than the index's
    /// spare basis point of exposure (exposure ≈ 2 × C × average weight near zero health), so only the
    /// Aave slack in <c>RiskIndex.Measure</c> keeps the index exact.
    /// </summary>
    [Fact]
    public void Index_set_equals_full_scan_under_the_aave_model_with_low_weights()
    {
        Genesis g = AaveGenesis();
        for (int a = 0; a < g.Assets.Count; a++)
        {
            long w = 110_000 + (a * 30_001);
            g = With(g, a, r => r with { MaintenanceAssetWeight = w, InitialAssetWeight = w - 10_000 });
        }

        RiskIndexTests.CheckIndexAgainstScans(g, iter: 6);
    }

    /// <summary>
    /// ETH (weight 0.20) and SOL (0.10) against USDC debt, over a grid of ETH amounts and debts: the
    /// average weight sits at every position within a basis point, health at 0–4 bp of exposure. A
    /// 1 bp ETH fall then lowers the floored average by a whole bp (a drop of up to C × 1 bp, more
    /// than the exposure's linear bound allows at these weights): after that tick the index must
    /// still equal the exact scan.
    /// </summary>
    [Fact]
    public void Index_catches_the_floored_average_stepping_down_within_its_bucket()
    {
        Genesis g = With(With(AaveGenesis(), ETH, r => r with { MaintenanceAssetWeight = 200_000, InitialAssetWeight = 190_000 }),
            SOL, r => r with { MaintenanceAssetWeight = 100_000, InitialAssetWeight = 90_000 });
        int checkedCases = 0;
        for (long eth = 1_000_000_000; eth <= 1_020_000_000; eth += 200_000)
        {
            // Aave-model maintenance collateral without debt, in units.
            var probe = new Engine(g);
            probe.ImportBalance(Acct(1), MarginMode.Cross, ETH, eth);
            probe.ImportBalance(Acct(1), MarginMode.Cross, SOL, 20_000_000_000);
            Int128 mc = probe.HealthOf(probe.Accounts.Find(Acct(1))).MaintenanceCollateral;
            for (int tenthsOfBp = 0; tenthsOfBp <= 40; tenthsOfBp += 2)
            {
                var e = new Engine(g);
                e.ImportBalance(Acct(100_000), MarginMode.Cross, USDC, 1_000_000_000_000);
                e.ImportBalance(Acct(1), MarginMode.Cross, ETH, eth);
                e.ImportBalance(Acct(1), MarginMode.Cross, SOL, 20_000_000_000);
                long debt = (long)(mc - (mc * tenthsOfBp * 2 / 100_000));
                e.ImportBalance(Acct(1), MarginMode.Cross, USDC, -debt);
                var index = new RiskIndex(e);
                index.Tick();
                long p = e.Pools[ETH].Price;
                e.ImportPrice(ETH, p - (p / 10_000));
                Assert.Equal(RiskIndex.ExactScan(e), index.Tick());
                checkedCases++;
            }
        }

        Assert.True(checkedCases > 2_000);
    }

    /// <summary>
    /// A long implied-volatility spike drives ETH's haircuts to their caps, then volatility relaxes:
    /// the initial haircut falls 4× faster than the maintenance one and catches it. The exact venue
    /// then has the two weights equal. Under the Aave model the controller keeps them 1 bp apart, at
    /// every step.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Risk_controller_keeps_the_aave_weight_gap_while_haircuts_relax(bool aave)
    {
        string text = OracleVenue.GenesisText();
        if (aave)
        {
            text = text.Replace("\"chainId\": ", "\"healthModel\": \"aave\", \"chainId\": ", StringComparison.Ordinal);
        }

        var o = new OracleVenue(GenesisLoader.Parse(text));
        Assert.Equal(aave ? HealthModel.Aave : HealthModel.Exact, o.Engine.Genesis.HealthModel);
        long smallestGap = long.MaxValue;
        for (int step = 0; step < 12 * 50; step++)
        {
            long now = o.Now + 300;
            Actions.EngineAction[] iv = step < 12 * 30 && step % 6 == 0
                ? [new Actions.VolatilityReport(OracleVenue.Publisher(1), ETH, 2_400_000, now), new Actions.VolatilityReport(OracleVenue.Publisher(2), ETH, 2_400_000, now), new Actions.VolatilityReport(OracleVenue.Publisher(3), ETH, 2_400_000, now)]
                : [];
            o.Wait(300, iv);
            AssetRiskParams r = o.Engine.Pools[ETH].Risk;
            smallestGap = System.Math.Min(smallestGap, r.MaintenanceAssetWeight - r.InitialAssetWeight);
        }

        Assert.Equal(aave ? HealthModelRules.AaveWeightGap : 0, smallestGap);
    }
}
