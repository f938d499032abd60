using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

public class AmmGovernanceTests
{
    [Fact]
    public void Repeg_and_depth_changes_are_paid_by_the_fee_pool_and_bounded_by_it()
    {
        var e = new Engine(PerpVenue.Genesis());
        Assert.True(e.Apply(new UpdateMarketRisk(Gov, Perp, e.Markets[Perp].Risk with { TakerFee = 1_000 })).Ok);
        e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("100000")));
        Assert.True(e.Apply(Order(1, "500")).Ok);
        PerpMarket m = e.Markets[Perp];
        long pool = m.FeePool;
        Assert.True(pool > 0);

        // Users are net long 500: repegging up makes the AMM pay more to take them back.
        byte[] root = e.ComputeStateRoot();
        var tooDear = e.Apply(new RepegAmm(Gov, Perp, Px("200")));
        Assert.Equal(ErrorCode.AdjustmentTooExpensive, tooDear.Code);
        Assert.Equal(root, e.ComputeStateRoot());

        var ok = e.Apply(new RepegAmm(Gov, Perp, Px("100.05")));
        Assert.True(ok.Ok, ok.Message);
        long cost = ok.Events.OfType<AmmAdjusted>().Single().Cost;
        Assert.InRange(cost, 1, pool);
        Assert.Equal(pool - cost, m.FeePool);
        AssertLedgers(e, Usd("100000"));

        // A deeper AMM also pays the net-long users more on the way out.
        var deeper = e.Apply(new AdjustAmmDepth(Gov, Perp, Base("1100000")));
        Assert.True(deeper.Ok || deeper.Code == ErrorCode.AdjustmentTooExpensive, deeper.Message);
        var shallower = e.Apply(new AdjustAmmDepth(Gov, Perp, Base("900000")));
        Assert.True(shallower.Ok, shallower.Message);
        Assert.True(shallower.Events.OfType<AmmAdjusted>().Single().Cost < 0, "a shallower AMM earns the pool money against net-long users");
        Assert.Equal(ErrorCode.Unauthorized, e.Apply(new RepegAmm(User(1), Perp, Px("100"))).Code);
        AssertLedgers(e, Usd("100000"));
    }
}
