using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 8, defence in depth: the zero address signs nothing, zero-address subaccounts (the
/// protocol's, and the unreachable rest of that range) take no tokens, and a full repay against
/// near-worthless collateral caps at the collateral instead of overflowing.
/// </summary>
public class ProtocolAccountTests
{
    private const int EthPerp = 0;

    [Fact]
    public void The_zero_address_signs_nothing()
    {
        var v = new TestVenue();
        v.Deposit(1, USDC, "1000");
        byte[] root = v.Engine.ComputeStateRoot();
        EngineAction[] actions =
        [
            new Deposit(Address.Zero, Acct(1), USDC, 1),
            new FundInsurance(Address.Zero, USDC, 1),
            new FlagLiquidatable(Address.Zero, Acct(1)),
            new OpenSubaccount(Address.Zero, new AccountKey(Address.Zero, 7), MarginMode.Cross),
        ];
        foreach (EngineAction a in actions)
        {
            Assert.Equal(ErrorCode.Unauthorized, v.Do(a).Code);
        }

        Assert.Equal(root, v.Engine.ComputeStateRoot());
    }

    [Fact]
    public void Protocol_accounts_refuse_withdraw_borrow_and_insurance_payments_by_rule()
    {
        // A trader buys 100 ETH from the AMM, then ETH falls: the AMM's short is in profit. Before the rule,
        // only incidental checks (the AMM's isolated mode, its empty balance, a quantum of health) stood
        // between that profit and a zero-address signature; now the signer and the account are refused as such.
        var v = new TestVenue();
        v.Deposit(9, USDC, "10000000");
        v.Deposit(1, USDC, "100000");
        v.MustDo(new PlaceOrder(User(1), Acct(1), EthPerp, v.Q(ETH, "100"), 0, false));
        v.Price(ETH, "2000");
        AccountKey amm = Engine.AmmKey(EthPerp), backstop = Engine.BackstopKey(EthPerp);
        Assert.True(v.Engine.HealthOf(v.Engine.Accounts.Find(amm)).Equity > 0);

        long cash = v.Engine.Pools[USDC].Cash;
        ActionResult[] results =
        [
            v.Do(new Borrow(Address.Zero, amm, USDC, v.Q(USDC, "1000"))),
            v.Do(new Withdraw(Address.Zero, amm, USDC, 1)),
            v.Do(new FundMarketInsurance(Address.Zero, amm, EthPerp, 1)),
            v.Do(new Borrow(Address.Zero, backstop, USDC, 1)),
        ];
        Assert.All(results, r => Assert.False(r.Ok, r.Message));
        Assert.All(results, r => Assert.Contains(r.Code, new[] { ErrorCode.Unauthorized, ErrorCode.ProtocolAccount }));
        Assert.Equal(cash, v.Engine.Pools[USDC].Cash);
    }

    [Theory]
    [InlineData(1003u)] // the AMM slot of a market that does not exist
    [InlineData(2099u)] // a backstop slot likewise
    [InlineData(0u)]
    [InlineData(1000u)] // ETH-PERP's AMM itself
    public void Zero_address_subaccounts_take_no_deposits_or_transfers(uint sub)
    {
        var v = new TestVenue();
        v.Deposit(1, USDC, "1000");
        var target = new AccountKey(Address.Zero, sub);
        int accounts = v.Engine.Accounts.Count;
        long cash = v.Engine.Pools[USDC].Cash;

        Assert.Equal(ErrorCode.ProtocolAccount, v.Do(new Deposit(User(1), target, USDC, v.Q(USDC, "10"))).Code);
        Assert.Equal(ErrorCode.ProtocolAccount, v.Do(new Transfer(User(1), Acct(1), target, USDC, v.Q(USDC, "10"))).Code);
        Assert.Equal(accounts, v.Engine.Accounts.Count);
        Assert.Equal(cash, v.Engine.Pools[USDC].Cash);
        Assert.Equal(v.Q(USDC, "1000"), v.Balance(1, USDC));
    }

    [Fact]
    public void A_full_repay_against_near_worthless_collateral_caps_instead_of_overflowing()
    {
        // 10,000 SOL backs a $1,000 USDC borrow; SOL then collapses to one price unit (1e-8 USD):
        // the collateral is worth about $0.0001 and the full repay would "need" ~1e20 quantums of SOL.
        var v = new TestVenue();
        v.Deposit(9, USDC, "1000000");
        v.Deposit(1, SOL, "10000");
        v.Borrow(1, USDC, "1000");
        v.Deposit(2, USDC, "5000");
        v.MustDo(new SetOraclePrice(Gov, SOL, 1));
        long debt = -v.Balance(1, USDC);
        Assert.Equal(v.Q(USDC, "1000"), debt);

        ActionResult r = v.Do(new Liquidate(User(2), Acct(2), Acct(1), USDC, SOL, debt));
        Assert.True(r.Ok, $"{r.CodeName}: {r.Message}");

        // Capped: all the SOL is seized for what it is worth (with the bonus); the rest is realized as bad debt.
        Liquidated l = Assert.Single(r.Events.OfType<Liquidated>());
        Assert.Equal(v.Q(SOL, "10000"), l.Seized);
        Assert.InRange(l.Repaid, 1, 100);
        Assert.Equal(0, v.Balance(1, SOL));
        Assert.Equal(0, v.Balance(1, USDC));
        BadDebtRealized bad = Assert.Single(r.Events.OfType<BadDebtRealized>());
        Assert.Equal(debt - l.Repaid, bad.Amount);
    }
}
