using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Oracle;
using Solvent.Core.State;
using static Solvent.Core.Tests.OracleVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 4, end of block: oracle aggregation and the risk controllers never throw out of
/// <see cref="Engine.Apply(Block)"/>, on the bundled oracle genesis.
/// </summary>
public class EndBlockHaltTests
{
    private const int EthPerp = 0;

    [Fact]
    public void A_feed_reporting_again_after_a_long_gap_at_a_high_price_does_not_halt_the_chain()
    {
        // ETH at the largest accepted price, then two years without an aggregate: the stable price may
        // move by 10%/h × 17,520 h, a step beyond 64 bits at that price.
        var o = new OracleVenue();
        o.Engine.ImportPrice(ETH, Engine.MaxGovernancePrice);
        long stable = StableOf(o);
        string max = Math.DecimalString.Format(Engine.MaxGovernancePrice, Math.Precision.PriceDecimals);
        o.All(2 * 365 * 86_400, ETH, max);
        o.Wait(60);

        Assert.Equal(Engine.MaxGovernancePrice, o.Price(ETH));
        Assert.Equal(stable, StableOf(o));
        Assert.Equal(2, o.Engine.Height);
        Assert.Equal(FeedStatus.Ok, o.Engine.FeedOf(ETH)!.Status);
    }

    [Fact]
    public void An_account_whose_health_leaves_the_integer_range_does_not_halt_the_risk_controller()
    {
        // A position too large to value (loaded from a snapshot, say), then implied volatility at twice the
        // reference: the controller wants to raise ETH-PERP's maintenance fraction, which needs every exposed
        // account's health. It may not raise maintenance (that account cannot be shown to absorb it), but
        // initial margin still tightens and blocks keep coming.
        var o = new OracleVenue();
        o.Engine.ImportPosition(Acct(1), MarginMode.Cross, EthPerp, long.MaxValue / 2, 0);
        Assert.Throws<OverflowException>(() => o.Engine.HealthOf(o.Engine.Accounts.Find(Acct(1))));

        long imf = o.Engine.Markets[EthPerp].Risk.InitialMarginFraction, mmf = o.Engine.Markets[EthPerp].Risk.MaintenanceMarginFraction;
        long iv = 1_600_000;
        o.Wait(300, [new VolatilityReport(Publisher(1), ETH, iv, o.Now + 300), new VolatilityReport(Publisher(2), ETH, iv, o.Now + 300), new VolatilityReport(Publisher(3), ETH, iv, o.Now + 300)]);
        for (int i = 0; i < 3; i++)
        {
            o.Wait(300);
        }

        Assert.Equal(4, o.Engine.Height);
        Assert.True(o.Engine.Markets[EthPerp].Risk.InitialMarginFraction > imf);
        Assert.Equal(mmf, o.Engine.Markets[EthPerp].Risk.MaintenanceMarginFraction);
    }

    private static long StableOf(OracleVenue o) => o.Engine.FeedOf(ETH)!.StablePrice;
}
