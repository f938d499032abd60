using Solvent.Core.Config;

namespace Solvent.Core.Tests;

public class GenesisTests
{
    [Fact]
    public void Example_genesis_loads_with_five_assets()
    {
        Genesis g = TestVenue.ExampleGenesis();
        Assert.Equal(["USDC", "USDT", "ETH", "WBTC", "SOL"], g.Assets.Select(a => a.Symbol));
        Assert.Equal(0, g.QuoteAsset);
        Assert.Equal(830_000, g.Risk[TestVenue.ETH].MaintenanceAssetWeight);
        Assert.Equal(300_000_000_000, g.Assets[TestVenue.ETH].InitialPrice);
    }

    private static string Mutate(string find, string replace)
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"));
        Assert.Contains(find, json);
        return json.Replace(find, replace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"maintenanceAssetWeight\": \"0.83\"", "\"maintenanceAssetWeight\": \"0.8\"", "assets[2].initialAssetWeight")]
    [InlineData("\"maintenanceAssetWeight\": \"0.83\"", "\"maintenanceAssetWeight\": 0.83", "assets[2].maintenanceAssetWeight: must be a decimal string")]
    [InlineData("\"maintenanceAssetWeight\": \"0.83\"", "\"maintenanceAssetWeight\": \"1.2\"", "assets[2].maintenanceAssetWeight: must be between 0 and 1")]
    [InlineData("\"quoteAsset\": \"USDC\"", "\"quoteAsset\": \"DAI\"", "quoteAsset: 'DAI' is not one of the assets")]
    [InlineData("\"symbol\": \"USDT\"", "\"symbol\": \"USDC\"", "assets[1].symbol: duplicate symbol")]
    [InlineData("\"governance\": \"0x00000000000000000000000000000000000000A1\"", "\"governance\": \"0x12\"", "governance: '0x12' is not")]
    [InlineData("\"initialPrice\": \"3000\"", "\"initialPrice\": \"-3000\"", "assets[2].initialPrice: must be between")]
    [InlineData("\"optimalUtilization\": \"0.45\", \"reserveFactor\": \"0.2\" }\n    },\n    {\n      \"symbol\": \"SOL\"", "\"optimalUtilization\": \"1\", \"reserveFactor\": \"0.2\" }\n    },\n    {\n      \"symbol\": \"SOL\"", "assets[3].rateModel.optimalUtilization: must be strictly between 0 and 1")]
    [InlineData("\"liquidationPenalty\": \"0.075\"", "\"liquidationPenalty\": \"0.45\"", "assets[4].liquidationPenalty: maintenanceAssetWeight × (1 + liquidationPenalty) must not exceed 1")]
    [InlineData("\"chainId\": 31337", "\"chainId\": \"x\"", "chainId: must be an integer")]
    public void Invalid_fields_are_named_with_the_problem(string find, string replace, string expected)
    {
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(Mutate(find, replace)));
        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal) || m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_fields_and_broken_json_are_reported()
    {
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse("{\"assets\": []}"));
        Assert.Contains("chainId: is required", e.Errors);
        Assert.Contains("assets: must list at least one asset", e.Errors);
        var broken = Assert.Throws<GenesisException>(() => GenesisLoader.Parse("{\"assets\": ["));
        Assert.StartsWith("(document): not valid JSON", broken.Errors[0]);
    }

    [Theory]
    [InlineData("\"quorum\": 3", "\"quorum\": 6", "oracles[0].quorum: must not exceed the 5 publishers")]
    [InlineData("\"onMaxMove\": \"clamp\"", "\"onMaxMove\": \"halt\"", "oracles[0].onMaxMove: must be \"clamp\" or \"pause\"")]
    [InlineData("\"maxMove\": \"0.10\"", "\"maxMove\": \"0\"", "oracles[0].maxMove: must be between")]
    [InlineData("\"quorum\": 3", "\"quorum\": 3, \"faultTolerance\": 3", "oracles[0].faultTolerance: 2 × faultTolerance + 1 must not exceed the 5 publishers")]
    [InlineData("\"maxMove\": \"0.10\"", "\"maxMove\": \"0.10\", \"maxMovePerSecond\": \"0\"", "oracles[0].maxMovePerSecond: must be between")]
    [InlineData("\"0x00000000000000000000000000000000000000b2\"", "\"0x00000000000000000000000000000000000000b1\"", "oracles[0].publishers[1]: duplicate publisher")]
    [InlineData("\"asset\": \"WBTC\"", "\"asset\": \"ETH\"", "oracles[1].asset: the asset already has a feed")]
    [InlineData("\"maintenanceMarginFraction\": {\n        \"min\": \"0.03\"", "\"maintenanceMarginFraction\": {\n        \"min\": \"0.005\"", "riskControllers[0].maintenanceMarginFraction.min: must exceed the market's liquidationPenalty")]
    [InlineData("\"min\": \"0.50\"", "\"min\": \"0.90\"", "riskControllers[1].initialAssetWeight: min must not exceed max")]
    [InlineData("\"market\": \"ETH-PERP\"", "\"market\": \"SOL-PERP\"", "riskControllers[0]: needs an oracle feed for SOL")]
    public void Invalid_oracle_and_controller_fields_are_named(string find, string replace, string expected)
    {
        string json = OracleVenue.GenesisText();
        Assert.Contains(find, json);
        var e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Oracle_genesis_loads_feeds_and_controllers()
    {
        Genesis stated = GenesisLoader.Parse(OracleVenue.GenesisText().Replace("\"quorum\": 3", "\"quorum\": 3, \"faultTolerance\": 2, \"maxMovePerSecond\": \"0.0005\"", StringComparison.Ordinal));
        Assert.Equal(5, stated.Oracles[0].RequiredReports); // f = 2 needs all five, whatever the quorum says
        Assert.Equal(500, stated.Oracles[0].MaxMovePerSecond);

        Genesis g = OracleVenue.OracleGenesis();
        Assert.Equal([TestVenue.ETH, TestVenue.WBTC], g.Oracles.Select(o => o.Asset));
        Assert.Equal(5, g.Oracles[0].Publishers.Count);
        Assert.Equal(100_000, g.Oracles[0].MaxMove);
        Assert.Equal(1, g.Oracles[0].FaultTolerance); // quorum 3 = 2f + 1
        Assert.Equal(3, g.Oracles[0].RequiredReports);
        Assert.Equal(1_667, g.Oracles[0].MaxMovePerSecond); // ⌈0.10 / 60⌉ per second
        Assert.Equal(0, g.RiskControllers[0].Market);
        Assert.Equal(195_000, g.RiskControllers[1].InitialMin); // haircut 1 − 0.805
        Assert.Equal(500_000, g.RiskControllers[1].InitialMax); // haircut 1 − 0.50
    }
}
