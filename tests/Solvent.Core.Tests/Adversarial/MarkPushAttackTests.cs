using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Risk;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Issue #15, item 1, "closing at a pushed mark", on the example genesis (ETH-PERP: vAMM depth 50,000
/// ETH, IMF 5%). One owner holds X (long at a fair price) and Y (a large balance). Y sells to push the
/// vAMM mark down, X closes reduce-only at the pushed mark, Y buys back and withdraws. Without an oracle
/// band X's loss at the pushed mark is Y's gain, X is left with a USDC borrow it can never repay, and
/// the owner walks away with the difference. The attacker here adapts: when an order is refused it
/// retries in smaller pieces, so the tests show that no way of splitting the orders pays.
/// </summary>
public class MarkPushAttackTests
{
    private const int EthPerp = 0, Owner = 1, Lender = 2, Honest = 3;
    private const uint X = 0, Y = 1;

    [Theory]
    [InlineData("12500", "1000", "400000")]
    [InlineData("25000", "1000", "400000")]
    [InlineData("40000", "2500", "1500000")]
    [InlineData("12500", "1000", "310000")]
    public void Closing_at_a_pushed_mark_pays_the_owner_nothing_and_leaves_no_bad_debt(string push, string xSize, string xDeposit)
    {
        var v = new Attack(xDeposit, xSize);
        long honestBefore = v.Equity(Honest);
        long lenderBefore = v.V.Balance(Lender, USDC);

        long pushed = v.Sell(Y, v.Eth(push));
        v.CloseAll(X);
        v.Buy(Y, pushed);
        v.WithdrawAll(Y);
        v.WithdrawAll(X);

        v.AssertNoProfit();
        Assert.True(v.Equity(Honest) >= honestBefore, $"honest trader's equity {honestBefore} → {v.Equity(Honest)}");
        Assert.True(v.V.Balance(Lender, USDC) >= lenderBefore, "the lender's claim shrank");
        v.AssertNoUnrecordedBadDebt();
        v.AssertBlocksKeepApplying();
    }

    [Theory]
    [InlineData("12500", "1000", "400000")]
    [InlineData("25000", "1000", "400000")]
    public void Keeping_one_step_open_does_not_let_the_backstop_charge_an_honest_trader(string push, string xSize, string xDeposit)
    {
        var v = new Attack(xDeposit, xSize);
        long honestBefore = v.Equity(Honest);

        long pushed = v.Sell(Y, v.Eth(push));
        v.CloseAllBut(X, v.Eth("0.001"));
        v.Buy(Y, pushed);
        v.WithdrawAll(Y);

        // Anyone may now ask the backstop to close what is left of X; a bankrupt X would be ADL'd
        // against the honest short at X's bankruptcy price.
        v.V.Do(new BackstopLiquidate(User(9), Acct(Owner, X), EthPerp));
        v.WithdrawAll(X);

        Assert.True(v.Equity(Honest) >= honestBefore, $"honest trader's equity {honestBefore} → {v.Equity(Honest)}");
        v.AssertNoProfit();
        v.AssertNoUnrecordedBadDebt();
        v.AssertBlocksKeepApplying();
    }

    [Fact]
    public void A_reducing_order_that_would_bankrupt_the_account_is_refused()
    {
        // X at near-maximum leverage: $270k for 1,000 ETH. The honest short sold 300 first (vAMM base
        // 50,000 → 50,300), so X's buy to 49,300 averages 3,000 × 50,000² / (49,300 × 50,300) ≈ $3,024.5
        // and X's equity is ≈ 270k − 24.5k − 1.5k fee ≈ $244k. Y sells 2,708 ETH (base → 52,008; its
        // average ≈ $2,925, inside the band), so selling X's 1,000 averages ≈ 7.5e15 / (52,008 × 53,008)
        // ≈ $2,720.5: inside the 10% band, but X would realize ≈ $304k more loss than its equity holds.
        var v = new Attack("270000", "1000");
        Assert.Equal(v.Eth("2708"), v.Sell(Y, v.Eth("2708")));
        byte[] root = v.V.Engine.ComputeStateRoot();

        ActionResult r = v.V.Do(new PlaceOrder(User(Owner), Acct(Owner, X), EthPerp, -v.Eth("1000"), 0, true));

        Assert.Equal(ErrorCode.OrderWouldBankrupt, r.Code);
        Assert.Equal("ORDER_WOULD_BANKRUPT", r.CodeName);
        Assert.Equal(root, v.V.Engine.ComputeStateRoot());

        // Once the mark is back, X closes at a fair price.
        v.Buy(Y, v.Eth("2708"));
        v.CloseAll(X);
        Assert.Equal(0, v.V.Engine.Accounts.Size(v.V.Engine.Accounts.Find(Acct(Owner, X)), EthPerp));
        v.AssertNoUnrecordedBadDebt();
    }

    [Fact]
    public void An_underwater_but_solvent_account_still_closes_at_a_fair_price()
    {
        // X: $310k, 1,000 ETH long from ≈ $3,024.5. ETH falls to $2,830 and governance repegs the vAMM to
        // it: equity ≈ 310k − 194.5k − 1.5k ≈ $114k, maintenance health ≈ 310k × 0.78 − 196k − 2.83M × 3%
        // ≈ −$39k: liquidatable, not bankrupt. Cutting the position must still work: half, then the rest.
        var v = new Attack("310000", "1000");
        v.V.Price(ETH, "2830");
        v.V.MustDo(new RepegAmm(Gov, EthPerp, Px("2830")));
        Risk.Health h = v.V.Health(Owner, X);
        Assert.True(h.IsLiquidatable && h.Equity > 0, $"setup: maintenance {h.MaintenanceHealth}, equity {h.Equity}");

        v.V.MustDo(new PlaceOrder(User(Owner), Acct(Owner, X), EthPerp, -v.Eth("500"), 0, true));
        v.V.MustDo(new PlaceOrder(User(Owner), Acct(Owner, X), EthPerp, -v.Eth("500"), 0, true));
        Assert.True(v.Equity(Owner, X) > 0);
    }

    [Fact]
    public void A_sandwiched_market_order_fills_within_the_band_of_the_index()
    {
        // The honest trader sells 300 ETH with no worst price while Y pushes the mark down before it and
        // buys back after. However Y splits its orders, the honest fill averages at least 90% of the $3,000
        // index (or is refused).
        var v = new Attack("400000", "1000");
        v.V.Deposit(Honest, USDC, "200000");
        v.V.MustDo(new PlaceOrder(User(Honest), Acct(Honest), EthPerp, v.Eth("600"), 0, false));
        long pushed = v.Sell(Y, v.Eth("12500"));

        ActionResult r = v.V.Do(new PlaceOrder(User(Honest), Acct(Honest), EthPerp, -v.Eth("300"), 0, false));
        v.Buy(Y, pushed);

        if (r.Ok)
        {
            Traded t = r.Events.OfType<Traded>().Single();
            long floor = 300 * 2_700_000_000L;
            Assert.True(-t.Quote >= floor, $"the honest seller received {-t.Quote / 1_000_000.0:N0} USD for 300 ETH");
        }
        else
        {
            Assert.Equal(ErrorCode.FillOutsidePriceBand, r.Code);
        }

        // The band bounds a sandwich, it does not remove it: a trader's own limit is its worst price.
        v.AssertNoUnrecordedBadDebt();
    }

    /// <summary>The example venue with a lender, an honest short, the attacker's X (long) and Y (cash).</summary>
    private sealed class Attack
    {
        private long _withdrawn;

        public Attack(string xDeposit, string xSize)
        {
            V.Deposit(Lender, USDC, "200000000");
            V.Deposit(Honest, USDC, "100000");
            V.MustDo(Order(Honest, -Eth("300")));
            Deposited = V.Q(USDC, xDeposit) + V.Q(USDC, "25000000");
            V.Deposit(Owner, USDC, xDeposit, X);
            V.Deposit(Owner, USDC, "25000000", Y);
            V.MustDo(Order(Owner, X, Eth(xSize)));
        }

        public TestVenue V { get; } = new();

        public long Deposited { get; }

        public long Eth(string human) => V.Q(ETH, human);

        /// <summary>Sells up to <paramref name="size"/> from Y: all at once, else in pieces as long as they are accepted. Returns what was sold.</summary>
        public long Sell(uint sub, long size) => Trade(sub, -size, reduceOnly: false);

        /// <summary>Buys back up to <paramref name="size"/> the same way.</summary>
        public long Buy(uint sub, long size) => Trade(sub, size, reduceOnly: false);

        public void CloseAll(uint sub) => CloseAllBut(sub, 0);

        /// <summary>Closes reduce-only down to <paramref name="keep"/>: at once, else in pieces.</summary>
        public void CloseAllBut(uint sub, long keep)
        {
            long size = V.Engine.Accounts.Size(V.Engine.Accounts.Find(Acct(Owner, sub)), EthPerp);
            Trade(sub, -(size - keep), reduceOnly: true);
        }

        public void WithdrawAll(uint sub)
        {
            long amount = V.Balance(Owner, USDC, sub);
            if (amount > 0 && V.Do(new Withdraw(User(Owner), Acct(Owner, sub), USDC, amount)) is { Ok: true } r)
            {
                _withdrawn += r.Events.OfType<Withdrawn>().Sum(w => w.Amount);
            }
        }

        /// <summary>Unweighted equity at the index, in USD × 1e6.</summary>
        public long Equity(int user, uint sub = 0) => (long)V.Health(user, sub).Equity;

        /// <summary>What the owner can walk away with: withdrawn cash plus what is left in non-bankrupt subaccounts (a bankrupt one is abandoned).</summary>
        public void AssertNoProfit()
        {
            long kept = System.Math.Max(0, Equity(Owner, X)) + System.Math.Max(0, Equity(Owner, Y));
            long profit = _withdrawn + kept - Deposited;
            Assert.True(profit <= 0, $"the owner ends {profit / 1_000_000.0:N0} USD ahead");
        }

        /// <summary>No subaccount is bankrupt or owes without collateral, and the books record no loss.</summary>
        public void AssertNoUnrecordedBadDebt()
        {
            Engine e = V.Engine;
            for (int id = 0; id < e.Accounts.Count; id++)
            {
                if (e.IsProtocolAccount(id))
                {
                    continue;
                }

                Health h = e.HealthOf(id);
                Assert.True(h.Equity >= 0, $"{e.Accounts.KeyOf(id)} is bankrupt: equity {h.Equity}");
                bool borrows = false;
                foreach (long b in e.Accounts.Balances(id))
                {
                    borrows |= b < 0;
                }

                Assert.False(borrows && h.CollateralValue == 0, $"{e.Accounts.KeyOf(id)} owes with no collateral");
            }

            Assert.Equal(0, e.Pools[USDC].BadDebt);
        }

        public void AssertBlocksKeepApplying()
        {
            long t = V.Engine.Time;
            for (int i = 1; i <= 3; i++)
            {
                Blocks.BlockResult r = V.Block(t + (i * 3600), new Deposit(User(Lender), Acct(Lender), USDC, 1_000_000));
                Assert.True(r.Results[0].Ok, r.Results[0].Message);
            }
        }

        private long Trade(uint sub, long size, bool reduceOnly)
        {
            if (size == 0 || V.Do(Order(Owner, sub, size, reduceOnly)).Ok)
            {
                return size == 0 ? 0 : System.Math.Abs(size);
            }

            // Refused whole: the attacker splits it, halving the piece whenever one is refused.
            long done = 0, left = System.Math.Abs(size), piece = left / 10, step = Eth("0.001");
            while (left > 0 && piece >= step)
            {
                long q = System.Math.Min(piece, left) / step * step;
                if (V.Do(Order(Owner, sub, System.Math.Sign(size) * q, reduceOnly)).Ok)
                {
                    done += q;
                    left -= q;
                }
                else
                {
                    piece /= 2;
                }
            }

            return done;
        }

        private static PlaceOrder Order(int user, uint sub, long size, bool reduceOnly = false) =>
            new(User(user), Acct(user, sub), EthPerp, size, 0, reduceOnly);

        public static PlaceOrder Order(int user, long size) => Order(user, 0, size);
    }
}
