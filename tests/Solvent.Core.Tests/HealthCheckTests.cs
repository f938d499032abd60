using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Lending;
using Solvent.Core.Risk;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>The engine's accept/reject of a withdrawal is exactly the sign of the exact initial health afterwards (shortcuts included).</summary>
public class HealthCheckTests
{
    [Fact]
    public void Withdraw_and_borrow_decisions_match_exact_initial_health()
    {
        int accepted = 0, rejected = 0;
        Gen.Select(Gen.Int[1, 4], Gen.Int[100, 2_000_000], Gen.Int[1, 999], Gen.Int[0, 2000], Gen.Int[-300, 300]).Sample((coll, usd, ltvPermille, probePermille, move) =>
        {
            var v = new TestVenue(ExampleGenesis());
            v.Engine.ImportBalance(Acct(0), State.MarginMode.Cross, USDC, 1_000_000_000_000_000);
            var e = v.Engine;
            e.ImportBalance(Acct(1), State.MarginMode.Cross, coll, RiskIndexTests.Worth(e, coll, usd));
            e.ImportBalance(Acct(1), State.MarginMode.Cross, USDC, -RiskIndexTests.Worth(e, USDC, (long)usd * ltvPermille / 1000));
            e.AdvanceTo(e.Time + 3600 * 24 * 30);
            long p = e.Pools[coll].Price;
            e.ImportPrice(coll, p + (p * move / 1000));

            int id = e.Accounts.Find(Acct(1));
            long supplied = e.Pools[coll].AmountOf(e.Accounts.Scaled(id, coll));
            long amount = System.Math.Max(1, supplied * probePermille / 2000);
            if (amount > supplied)
            {
                return;
            }

            Span<long> b = stackalloc long[e.Pools.Length];
            e.Accounts.Balances(id).CopyTo(b);
            b[coll] = BalanceChange.Debit(e.Pools[coll], b[coll], amount).NewScaled;
            bool exactOk = HealthCalculator.Evaluate(b, e.Pools).InitialHealth >= 0;
            ActionResult r = e.Apply(new Withdraw(User(1), Acct(1), coll, amount));
            Assert.Equal(exactOk, r.Ok);
            Assert.True(r.Ok || r.Code == ErrorCode.InitialHealthViolated, r.CodeName);
            _ = r.Ok ? accepted++ : rejected++;
        }, iter: 3_000, threads: 1);

        // The property only means something if both sides of the boundary were reached.
        Assert.True(accepted > 300 && rejected > 300, $"{accepted} accepted, {rejected} rejected");
    }
}
