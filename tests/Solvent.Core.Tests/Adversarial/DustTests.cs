using Solvent.Core.Actions;
using Solvent.Core.Config;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 6: no order, position or borrow smaller than its market's or asset's minimum (dYdX v4 and
/// Drift's minimum order size, Compound III's baseBorrowMin), so every liquidation is worth a keeper's while;
/// a partial reduce may not leave a remainder below the minimum either.
/// </summary>
public class DustTests
{
    private const int EthPerp = 0;

    private static TestVenue Funded()
    {
        var v = new TestVenue();
        v.Deposit(9, USDC, "1000000");
        v.Deposit(1, ETH, "10");
        v.Deposit(2, USDC, "10000");
        return v;
    }

    [Fact]
    public void A_borrow_below_the_assets_minimum_is_refused()
    {
        TestVenue v = Funded();
        long min = v.Engine.Pools[USDC].Risk.MinBorrow;
        Assert.True(min > 0, "the example genesis sets a minimum USDC borrow");

        // The issue's $2.40 borrow.
        ActionResult r = v.Do(new Borrow(User(1), Acct(1), USDC, v.Q(USDC, "2.4")));
        Assert.Equal(ErrorCode.BelowMinimumSize, r.Code);
        Assert.Equal(0, v.Balance(1, USDC));
        v.MustDo(new Borrow(User(1), Acct(1), USDC, min));
        Assert.Equal(-min, v.Balance(1, USDC));
    }

    [Fact]
    public void A_partial_repay_may_not_leave_a_debt_below_the_minimum_but_a_full_repay_always_may()
    {
        TestVenue v = Funded();
        long min = v.Engine.Pools[USDC].Risk.MinBorrow;
        v.MustDo(new Borrow(User(1), Acct(1), USDC, 2 * min));

        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new Repay(User(1), Acct(1), USDC, (2 * min) - 1)).Code);
        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new Deposit(User(2), Acct(1), USDC, min + 1)).Code);
        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new Transfer(User(2), Acct(2), Acct(1), USDC, min + 1)).Code);
        v.MustDo(new Repay(User(1), Acct(1), USDC, min));
        v.MustDo(new Repay(User(1), Acct(1), USDC, min));
        Assert.Equal(0, v.Balance(1, USDC));
    }

    [Fact]
    public void An_order_or_position_below_the_markets_minimum_is_refused_and_a_close_is_always_accepted()
    {
        TestVenue v = Funded();
        long min = v.Engine.Markets[EthPerp].Risk.MinOrderSize;
        long step = v.Engine.Markets[EthPerp].Config.StepSize;
        Assert.True(min > step, "the example genesis sets ETH-PERP's minimum above its step");

        // The 0.001 ETH position.
        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new PlaceOrder(User(2), Acct(2), EthPerp, v.Q(ETH, "0.001"), 0, false)).Code);
        v.MustDo(new PlaceOrder(User(2), Acct(2), EthPerp, 3 * min, 0, false));

        // Reducing by less than the minimum, or to a remainder below it, is refused; closing all is not.
        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new PlaceOrder(User(2), Acct(2), EthPerp, -step, 0, true)).Code);
        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new PlaceOrder(User(2), Acct(2), EthPerp, -((3 * min) - step), 0, true)).Code);
        v.MustDo(new PlaceOrder(User(2), Acct(2), EthPerp, -min, 0, true));
        v.MustDo(new PlaceOrder(User(2), Acct(2), EthPerp, -(2 * min), 0, true));
        Assert.Equal(0, v.Engine.Accounts.Size(v.Engine.Accounts.Find(Acct(2)), EthPerp));
    }

    [Fact]
    public void A_dust_position_left_below_a_raised_minimum_can_still_be_closed_in_one_order()
    {
        TestVenue v = Funded();
        long step = v.Engine.Markets[EthPerp].Config.StepSize;
        long min = v.Engine.Markets[EthPerp].Risk.MinOrderSize;
        v.MustDo(new PlaceOrder(User(2), Acct(2), EthPerp, min, 0, false));
        v.MustDo(new UpdateMarketRisk(Gov, EthPerp, v.Engine.Markets[EthPerp].Risk with { MinOrderSize = 10 * min }));
        Assert.Equal(ErrorCode.BelowMinimumSize, v.Do(new PlaceOrder(User(2), Acct(2), EthPerp, -step, 0, true)).Code);
        v.MustDo(new PlaceOrder(User(2), Acct(2), EthPerp, -min, 0, true));
    }

    [Fact]
    public void Governance_minimums_are_validated()
    {
        TestVenue v = Funded();
        long step = v.Engine.Markets[EthPerp].Config.StepSize;
        PerpRiskParams m = v.Engine.Markets[EthPerp].Risk;
        AssetRiskParams a = v.Engine.Pools[USDC].Risk;
        Assert.Equal(ErrorCode.InvalidParameter, v.Do(new UpdateMarketRisk(Gov, EthPerp, m with { MinOrderSize = step + 1 })).Code);
        Assert.Equal(ErrorCode.InvalidParameter, v.Do(new UpdateMarketRisk(Gov, EthPerp, m with { MinOrderSize = -step })).Code);
        Assert.Equal(ErrorCode.InvalidParameter, v.Do(new UpdateMarketRisk(Gov, EthPerp, m with { MinOrderSize = m.OpenInterestCap + step })).Code);
        Assert.Equal(ErrorCode.InvalidParameter, v.Do(new UpdateAssetRisk(Gov, USDC, a with { MinBorrow = -1 })).Code);
        Assert.Equal(ErrorCode.InvalidParameter, v.Do(new UpdateAssetRisk(Gov, USDC, a with { MinBorrow = a.BorrowCap + 1 })).Code);
        v.MustDo(new UpdateAssetRisk(Gov, USDC, a with { MinBorrow = 2 * a.MinBorrow }));
        Assert.Equal(2 * a.MinBorrow, v.Engine.Pools[USDC].Risk.MinBorrow);
    }

    [Fact]
    public void Genesis_rejects_a_minimum_order_size_off_the_step()
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json"))
            .Replace("\"minOrderSize\": \"0.01\"", "\"minOrderSize\": \"0.0105\"");
        GenesisException e = Assert.Throws<GenesisException>(() => GenesisLoader.Parse(json));
        Assert.Contains("minOrderSize", e.Message);
    }
}
