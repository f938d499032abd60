using Solvent.Core.Actions;
using Solvent.Core.Config;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>The fill price band as a market parameter: its default, its bounds and its edge.</summary>
public class FillPriceBandTests
{
    private const int EthPerp = 0;

    [Fact]
    public void The_band_defaults_to_ten_percent_and_genesis_refuses_values_outside_its_bound()
    {
        Assert.Equal(100_000, ExampleGenesis().MarketRisk[EthPerp].FillPriceBand);
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"));
        string with(string band) => json.Replace("\"symbol\": \"ETH-PERP\",", $"\"symbol\": \"ETH-PERP\", \"fillPriceBand\": \"{band}\",");

        Assert.Equal(20_000, GenesisLoader.Parse(with("0.02")).MarketRisk[EthPerp].FillPriceBand);
        Assert.Contains("fillPriceBand", Assert.Throws<GenesisException>(() => GenesisLoader.Parse(with("0"))).Message);
        Assert.Contains("fillPriceBand", Assert.Throws<GenesisException>(() => GenesisLoader.Parse(with("0.6"))).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(500_001)]
    [InlineData(long.MaxValue)]
    public void Governance_cannot_set_a_band_outside_its_bound(long band)
    {
        var v = new TestVenue();
        ActionResult r = v.Do(new UpdateMarketRisk(Gov, EthPerp, v.Engine.Markets[EthPerp].Risk with { FillPriceBand = band }));
        Assert.Equal(ErrorCode.InvalidParameter, r.Code);
        Assert.Contains("fillPriceBand", r.Message);
    }

    [Fact]
    public void A_fill_on_the_band_edge_passes_and_one_past_it_is_refused()
    {
        // Selling Δ into the untouched ETH vAMM (B = 50,000) averages 3,000 × 50,000 / (50,000 + Δ):
        // exactly 2,700 (−10%) at Δ = 50,000/9 ≈ 5,555.56. 5,555 ETH averages ≈ 2,700.03, 5,556 ≈ 2,699.98.
        var v = new TestVenue();
        v.Deposit(1, USDC, "10000000");
        v.Deposit(2, USDC, "10000000");
        byte[] root = v.Engine.ComputeStateRoot();
        ActionResult past = v.Do(new PlaceOrder(User(1), Acct(1), EthPerp, -v.Q(ETH, "5556"), 0, false));
        Assert.Equal(ErrorCode.FillOutsidePriceBand, past.Code);
        Assert.Equal("FILL_OUTSIDE_PRICE_BAND", past.CodeName);
        Assert.Equal(root, v.Engine.ComputeStateRoot());

        v.MustDo(new PlaceOrder(User(1), Acct(1), EthPerp, -v.Q(ETH, "5555"), 0, false));

        // Governance widens the band; the same kind of order now passes.
        v.MustDo(new UpdateMarketRisk(Gov, EthPerp, v.Engine.Markets[EthPerp].Risk with { FillPriceBand = 200_000 }));
        v.MustDo(new PlaceOrder(User(2), Acct(2), EthPerp, -v.Q(ETH, "100"), 0, false));
    }
}
