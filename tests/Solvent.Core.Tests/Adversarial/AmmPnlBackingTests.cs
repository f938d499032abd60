using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15, item 1: the vAMM's own PnL is backed by what the market holds (fees, insurance, settled
/// losses), never by the lenders. A trader's realized profit is the other side's loss; while that loss
/// is still open (or was never collected) the market has no cash for the profit, and crediting it to a
/// withdrawable balance would pay it out of the suppliers' cash.
/// </summary>
public class AmmPnlBackingTests
{
    private const int EthPerp = 0, A = 1, B = 2, Lender = 3;

    [Fact]
    public void A_profit_the_market_has_not_collected_is_not_paid_from_the_lenders()
    {
        var v = new TestVenue();
        v.Deposit(Lender, USDC, "10000000");
        v.Deposit(A, USDC, "100000");
        v.Deposit(B, USDC, "1000000");

        // A buys 100 ETH, B buys 2,000 after it (the mark rises ≈ 8%), A sells its 100 at a profit of
        // ≈ 100 × 3,000 × (50,000² / (47,900 × 48,000) − 50,000² / (49,900 × 50,000)) ≈ $25k, all of it B's
        // open, unrealized loss. The market has collected only the taker fees.
        v.MustDo(new PlaceOrder(User(A), Acct(A), EthPerp, v.Q(ETH, "100"), 0, false));
        v.MustDo(new PlaceOrder(User(B), Acct(B), EthPerp, v.Q(ETH, "2000"), 0, false));
        PerpMarket m = v.Engine.Markets[EthPerp];
        long fees = m.FeePool;
        ActionResult close = v.MustDo(new PlaceOrder(User(A), Acct(A), EthPerp, -v.Q(ETH, "100"), 0, true));
        long realized = close.Events.OfType<Traded>().Single().Quote is var q ? -q : 0;
        Assert.True(realized > v.Q(USDC, "300000") + v.Q(USDC, "20000"), $"setup: A sold for {realized}");

        long settled = close.Events.OfType<PnlSettled>().Sum(s => s.Amount);
        Assert.True(settled <= fees, $"A was credited {settled} with {fees} of fees collected");
        Assert.True(m.SettledPnl <= 0 && v.Engine.Pools[USDC].PerpSettled <= 0, $"market paid out {m.SettledPnl} more than it took in");

        // What is not yet backed stays A's, in its position quote and its health, not in its balance.
        long kept = v.Engine.Accounts.Quote(v.Engine.Accounts.Find(Acct(A)), EthPerp);
        Assert.True(kept > 0 && settled + kept > v.Q(USDC, "20000"), $"A keeps {kept} unsettled");
        Assert.True(v.Health(A).Equity > v.Q(USDC, "120000"));

        // B closes at its loss; A's rest settles at its next close (open and close one step).
        v.MustDo(new PlaceOrder(User(B), Acct(B), EthPerp, -v.Q(ETH, "2000"), 0, true));
        v.MustDo(new PlaceOrder(User(A), Acct(A), EthPerp, v.Q(ETH, "0.01"), 0, false));
        ActionResult again = v.MustDo(new PlaceOrder(User(A), Acct(A), EthPerp, -v.Q(ETH, "0.01"), 0, true));
        Assert.True(again.Events.OfType<PnlSettled>().Single().Amount >= kept - v.Q(USDC, "1"));
        Assert.Equal(0, v.Engine.Accounts.Quote(v.Engine.Accounts.Find(Acct(A)), EthPerp));
        Assert.True(m.SettledPnl <= 0);
    }
}
