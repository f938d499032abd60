using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 4: no governance value may halt the chain. Every parameter has an upper bound enforced
/// at validation, and block-start code freezes a market whose funding leaves the integer range instead
/// of throwing out of <see cref="Engine.Apply(Block)"/> on this block and every later one.
/// </summary>
public class GovernanceHaltTests
{
    private const int EthPerp = 0;

    /// <summary>A venue whose ETH-PERP mark sits below the index (a seller moved it), so the premium is negative.</summary>
    private static TestVenue VenueWithPremium()
    {
        var v = new TestVenue();
        long t = v.Engine.Time;
        BlockResult b = v.Block(
            t + 1,
            new Deposit(User(1), Acct(1), USDC, v.Q(USDC, "1000000")),
            new PlaceOrder(User(1), Acct(1), EthPerp, -v.Q(ETH, "100"), 0, false));
        Assert.All(b.Results, r => Assert.True(r.Ok, r.Message));
        Assert.True(v.Engine.Markets[EthPerp].MarkPrice < v.Engine.Pools[ETH].Price);
        return v;
    }

    [Fact]
    public void A_funding_rate_near_long_max_is_refused_and_blocks_keep_coming()
    {
        TestVenue v = VenueWithPremium();
        PerpRiskParams extreme = v.Genesis.MarketRisk[EthPerp] with { InterestRate = long.MaxValue - 1, MaxFundingRate = long.MaxValue };
        BlockResult b = v.Block(v.Engine.Time + 1, new UpdateMarketRisk(Gov, EthPerp, extreme));
        Assert.Equal(ErrorCode.InvalidParameter, b.Results[0].Code);

        for (int h = 1; h <= 3; h++)
        {
            v.Block(v.Engine.Time + 3600);
        }

        Assert.Equal(5, v.Engine.Height);
        Assert.NotEqual(0, v.Engine.Markets[EthPerp].FundingIndex);
    }

    [Fact]
    public void Funding_beyond_the_integer_range_freezes_the_market_and_a_later_fix_unfreezes_it()
    {
        // Parameters from before the bounds (or any other route past validation): block-start code must still not throw.
        TestVenue v = VenueWithPremium();
        PerpMarket m = v.Engine.Markets[EthPerp];
        m.Risk = m.Risk with { InterestRate = long.MaxValue - 1, MaxFundingRate = long.MaxValue };
        Int128 index = m.FundingIndex;
        long start = v.Engine.Time;

        v.Block(start + 3600);
        v.Block(start + 7200);
        Assert.Equal(index, m.FundingIndex);
        Assert.Equal(0, m.LastFundingRate);
        Assert.True(m.LastFundingTime > start, "frozen intervals are skipped, not charged later");

        // Other markets keep accruing, and governance can still act.
        Assert.NotEqual(0, v.Engine.Markets[1].LastFundingTime - v.Genesis.GenesisTime);
        BlockResult fix = v.Block(v.Engine.Time + 1, new UpdateMarketRisk(Gov, EthPerp, v.Genesis.MarketRisk[EthPerp]));
        Assert.True(fix.Results[0].Ok, fix.Results[0].Message);
        v.Block(v.Engine.Time + 3600);
        Assert.NotEqual(index, m.FundingIndex);
        Assert.NotEqual(0, m.LastFundingRate);
    }

    [Fact]
    public void Every_governance_parameter_is_bounded_at_validation()
    {
        var v = new TestVenue();
        PerpRiskParams mr = v.Genesis.MarketRisk[EthPerp];
        AssetRiskParams ar = v.Genesis.Risk[ETH];
        LiquidationConfig lc = v.Genesis.Liquidation;
        (EngineAction Action, ErrorCode Code)[] cases =
        [
            (new UpdateMarketRisk(Gov, EthPerp, mr with { MaxFundingRate = long.MaxValue }), ErrorCode.InvalidParameter),
            (new UpdateMarketRisk(Gov, EthPerp, mr with { MaxFundingRate = 1_000_000_001 }), ErrorCode.InvalidParameter),
            (new UpdateMarketRisk(Gov, EthPerp, mr with { InterestRate = 1_000_000_001, MaxFundingRate = 1_000_000_000 }), ErrorCode.InvalidParameter),
            (new UpdateMarketRisk(Gov, EthPerp, mr with { ImfFactor = long.MaxValue }), ErrorCode.InvalidParameter),
            (new UpdateMarketRisk(Gov, EthPerp, mr with { OpenInterestUpper = long.MaxValue }), ErrorCode.InvalidParameter),
            (new UpdateMarketRisk(Gov, EthPerp, mr with { OpenInterestCap = long.MaxValue }), ErrorCode.InvalidParameter),
            (new UpdateAssetRisk(Gov, ETH, ar with { RateModel = new FlatRate() }), ErrorCode.InvalidParameter),
            (new UpdateLiquidationConfig(Gov, lc with { HealthTarget = long.MaxValue }), ErrorCode.InvalidParameter),
            (new UpdateLiquidationConfig(Gov, lc with { DustThreshold = long.MaxValue }), ErrorCode.InvalidParameter),
            (new RepegAmm(Gov, EthPerp, long.MaxValue), ErrorCode.InvalidPrice),
            (new AdjustAmmDepth(Gov, EthPerp, long.MaxValue), ErrorCode.InvalidAmount),
        ];

        byte[] root = v.Engine.ComputeStateRoot();
        foreach ((EngineAction a, ErrorCode code) in cases)
        {
            ActionResult r = v.Engine.Apply(a);
            Assert.True(r.Code == code, $"{a}: expected {code}, got {r.CodeName} {r.Message}");
        }

        Assert.Equal(root, v.Engine.ComputeStateRoot());

        // The bounds themselves are accepted (validation is inclusive).
        v.MustDo(new UpdateMarketRisk(Gov, EthPerp, mr with { MaxFundingRate = 1_000_000_000, InterestRate = 1_000_000_000, ImfFactor = 1_000_000 }));
        v.MustDo(new UpdateLiquidationConfig(Gov, lc with { HealthTarget = LiquidationConfig.MaxHealthTarget, DustThreshold = LiquidationConfig.MaxDustThreshold }));
        v.MustDo(new SetOraclePrice(Gov, ETH, Engine.MaxGovernancePrice));
    }

    /// <summary>A rate model with no documented bounds: only the kinked curve is accepted.</summary>
    private sealed record FlatRate : IRateModel
    {
        public string Kind => "flat";

        public UInt128 BorrowRate(UInt128 utilization) => UInt128.MaxValue;

        public void WriteCanonical(CanonicalWriter writer) => writer.WriteString(Kind);
    }
}
