using Solvent.Core.Actions;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>Collateral, borrows and positions net into one health figure, and isolated subaccounts keep to one exposure.</summary>
public class CrossMarginTests
{
    [Fact]
    public void A_losing_position_limits_what_can_be_withdrawn()
    {
        var e = new Engine(Genesis());
        Import(e, Acct(1), "1000", "50", "100");
        e.ImportPrice(Tst, Px("90"));

        // Equity 1000 − 500 = 500; the 4,500 notional needs 450 initial margin: at most ~50 may leave.
        Assert.Equal(ErrorCode.InitialHealthViolated, e.Apply(new Withdraw(User(1), Acct(1), Usdc, Usd("100"))).Code);
        Assert.Equal(ErrorCode.InitialHealthViolated, e.Apply(new Transfer(User(1), Acct(1), Acct(2), Usdc, Usd("100"))).Code);
        Assert.True(e.Apply(new Withdraw(User(1), Acct(1), Usdc, Usd("40"))).Ok);
    }

    [Fact]
    public void The_owner_can_still_choose_isolated_mode_after_a_strangers_deposit_and_it_sticks()
    {
        var e = new Engine(Genesis());
        e.Apply(new Deposit(User(9), Acct(1, 3), Usdc, Usd("10")));
        Assert.Equal(MarginMode.Cross, e.Accounts.ModeOf(e.Accounts.Find(Acct(1, 3))));
        Assert.True(e.Apply(new OpenSubaccount(User(1), Acct(1, 3), MarginMode.Isolated)).Ok);
        e.Apply(new Deposit(User(1), Acct(1, 3), Usdc, Usd("1000")));
        Assert.Equal(MarginMode.Isolated, e.Accounts.ModeOf(e.Accounts.Find(Acct(1, 3))));
        Assert.Equal(ErrorCode.AccountExists, e.Apply(new OpenSubaccount(User(1), Acct(1, 3), MarginMode.Isolated)).Code);
    }

    [Fact]
    public void An_isolated_subaccount_with_a_position_cannot_also_borrow()
    {
        var e = new Engine(Genesis());
        e.ImportBalance(Acct(5), MarginMode.Cross, Usdc, Usd("100000"));
        Assert.True(e.Apply(new OpenSubaccount(User(1), Acct(1, 1), MarginMode.Isolated)).Ok);
        e.Apply(new Deposit(User(1), Acct(1, 1), Usdc, Usd("5000")));
        Assert.True(e.Apply(new PlaceOrder(User(1), Acct(1, 1), Perp, Base("10"), 0, false)).Ok);
        Assert.Equal(ErrorCode.IsolatedExposureLimit, e.Apply(new Borrow(User(1), Acct(1, 1), Usdc, Usd("6000"))).Code);
    }

    [Fact]
    public void Protocol_accounts_take_no_deposits_or_transfers()
    {
        var e = new Engine(Genesis());
        e.Apply(new Deposit(User(1), Acct(1), Usdc, Usd("100")));
        Assert.Equal(ErrorCode.ProtocolAccount, e.Apply(new Deposit(User(1), Engine.AmmKey(0), Usdc, Usd("1"))).Code);
        Assert.Equal(ErrorCode.ProtocolAccount, e.Apply(new Transfer(User(1), Acct(1), Engine.BackstopKey(0), Usdc, Usd("1"))).Code);
    }
}
