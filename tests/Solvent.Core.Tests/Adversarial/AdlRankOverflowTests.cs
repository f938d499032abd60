using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15 item 5: an opposite account with one quantum of equity and a large PnL (anyone can deposit
/// to set that) must not make the ADL ranking overflow and block the backstop for everyone on the other side.
/// </summary>
public class AdlRankOverflowTests
{
    private const int EthPerp = 0;

    [Fact]
    public void A_quantum_of_equity_against_large_pnl_does_not_block_the_backstop()
    {
        var v = new TestVenue();
        Engine e = v.Engine;
        e.ImportBalance(Acct(9), MarginMode.Cross, USDC, v.Q(USDC, "10000000"));

        // Bankrupt long: 100 ETH from $3,000 with $10k, then ETH at $2,500 (equity −$40k).
        e.ImportBalance(Acct(1), MarginMode.Cross, USDC, v.Q(USDC, "10000"));
        e.ImportPosition(Acct(1), MarginMode.Cross, EthPerp, v.Q(ETH, "100"), -v.Q(USDC, "300000"));

        // Honest short with $50k of margin.
        e.ImportBalance(Acct(2), MarginMode.Cross, USDC, v.Q(USDC, "50000"));
        e.ImportPosition(Acct(2), MarginMode.Cross, EthPerp, -v.Q(ETH, "100"), v.Q(USDC, "300000"));

        // The blocker: a short whose $50k profit is borrowed against, slightly more than all of it.
        e.ImportPosition(Acct(3), MarginMode.Cross, EthPerp, -v.Q(ETH, "100"), v.Q(USDC, "300000"));
        e.ImportBalance(Acct(3), MarginMode.Cross, USDC, -v.Q(USDC, "50001"));
        e.ImportPrice(ETH, Px("2500"));

        // Anyone may deposit into any subaccount: top the blocker up to exactly one quantum of equity.
        int blocker = e.Accounts.Find(Acct(3));
        long topUp = (long)(1 - e.HealthOf(blocker).Equity);
        v.MustDo(new Deposit(User(4), Acct(3), USDC, topUp));
        Assert.Equal(1, (long)e.HealthOf(blocker).Equity);

        long cash = e.Pools[USDC].Cash;
        int bankrupt = e.Accounts.Find(Acct(1));
        Assert.True(e.HealthOf(bankrupt).Equity < 0);
        ActionResult r = e.Apply(new BackstopLiquidate(User(5), Acct(1), EthPerp));
        Assert.True(r.Ok, $"{r.CodeName}: {r.Message}");

        // The blocker ranks first (highest PnL per unit of equity) and absorbs the whole position; the honest short is untouched.
        AutoDeleveraged adl = Assert.Single(r.Events.OfType<AutoDeleveraged>());
        Assert.Equal(Acct(3), adl.Account);
        Assert.Equal(v.Q(ETH, "100"), adl.Size);
        Assert.Equal(-v.Q(ETH, "100"), e.Accounts.Size(e.Accounts.Find(Acct(2)), EthPerp));
        Assert.Equal(0, e.Accounts.Size(bankrupt, EthPerp));
        PerpVenue.AssertLedgers(e, cash);
    }

    [Fact]
    public void Rank_is_exact_at_the_extremes_and_orders_by_pnl_per_equity_squared()
    {
        // ⌊pnl·mm·1e18/equity²⌋ with the largest inputs: no overflow, and the exact value.
        Math.U256 top = Engine.AdlRankOf(long.MaxValue, long.MaxValue, 1);
        Math.U256 expected = Math.U256.Multiply((UInt128)(ulong)long.MaxValue * (ulong)long.MaxValue, 1_000_000_000_000_000_000UL);
        Assert.Equal(0, Math.U256.Compare(expected, top));
        Assert.True(Engine.AdlRankOf(long.MaxValue, long.MaxValue, UInt128.MaxValue >> 1).IsZero);

        // Same PnL and requirement: less equity ranks higher; equity across the 64-bit boundary compares correctly.
        Math.U256 small = Engine.AdlRankOf(1_000_000, 1_000_000, (UInt128)ulong.MaxValue);
        Math.U256 large = Engine.AdlRankOf(1_000_000, 1_000_000, (UInt128)ulong.MaxValue + 1);
        Assert.True(Math.U256.Compare(small, large) >= 0);
        Assert.True(Math.U256.Compare(Engine.AdlRankOf(50, 10, 1000), Engine.AdlRankOf(50, 10, 1001)) > 0);

        // 5e10·7.5e9·1e18/1e22 = 3.75e16 (the honest short above: $50k PnL, $7.5k requirement, $100k equity).
        Math.U256 honest = Engine.AdlRankOf(50_000_000_000, 7_500_000_000, 100_000_000_000);
        Assert.Equal(0, Math.U256.Compare(new Math.U256(37_500_000_000_000_000, 0, 0, 0), honest));
    }
}
