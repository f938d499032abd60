using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.State;
using Xunit.Abstractions;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>A −40% index move in one block on 10,000 random perp accounts, run through the whole waterfall.</summary>
public class PerpStressTests(ITestOutputHelper output)
{
    [Fact]
    public void Minus_40_percent_in_one_block_on_10000_accounts_keeps_the_books_exact()
    {
        var e = new Engine(Genesis());
        var rng = new Random(20260312);
        const int N = 10_000;
        for (int i = 0; i < N; i++)
        {
            long usdc = rng.Next(1_000, 50_000);
            double leverage = 0.5 + (rng.NextDouble() * 9.0);
            long size = (long)(usdc * leverage / 100 * 1000) * 1_000_000; // base quantums, multiple of the 0.001 step
            if (rng.NextDouble() < 0.45)
            {
                size = -size;
            }

            e.ImportBalance(Acct(i), MarginMode.Cross, Usdc, usdc * 1_000_000);
            e.ImportPosition(Acct(i), MarginMode.Cross, Perp, size, -(size / 1000 * 100 / 10_000)); // entry $100
        }

        AccountKey keeper = Acct(N + 1);
        e.ImportBalance(keeper, MarginMode.Cross, Usdc, Usd("2000000000"));
        Assert.True(e.Apply(new FundMarketInsurance(User(N + 1), keeper, Perp, Usd("100000"))).Ok);
        long cash = e.Pools[Usdc].Cash;
        AssertLedgers(e, cash);

        Assert.True(e.Apply(new SetOraclePrice(Gov, Tst, Px("60"))).Ok);
        int liquidatable = 0, keeperLiquidations = 0, backstops = 0;
        long adlVolume = 0, insuranceStart = e.Markets[Perp].Insurance, insurancePaid = 0;
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            if (e.IsProtocolAccount(id) || !e.HealthOf(id).IsLiquidatable)
            {
                continue;
            }

            liquidatable++;
            AccountKey k = e.Accounts.KeyOf(id);
            for (int round = 0; round < 4 && e.HealthOf(id).IsLiquidatable; round++)
            {
                var before = e.HealthOf(id);
                ActionResult r = before.Equity < 0
                    ? e.Apply(new BackstopLiquidate(User(N + 2), k, Perp))
                    : e.Apply(new LiquidatePerp(keeper.Owner, keeper, k, Perp, System.Math.Abs(e.Accounts.Size(id, Perp))));
                Assert.True(r.Ok, $"{k}: {r.CodeName} {r.Message}");
                keeperLiquidations += r.Events.OfType<PerpLiquidated>().Count();
                backstops += r.Events.OfType<BackstopTakeover>().Count();
                adlVolume += r.Events.OfType<AutoDeleveraged>().Sum(a => System.Math.Abs(a.Size));
                insurancePaid += r.Events.OfType<BackstopTakeover>().Sum(b => b.InsurancePaid);
                if (e.Accounts.Size(id, Perp) != 0)
                {
                    Assert.True(e.HealthOf(id).MaintenanceHealth > before.MaintenanceHealth, $"{k} ended a liquidation less healthy");
                }
            }

            Assert.False(e.HealthOf(id).IsLiquidatable, $"{k} still liquidatable after the waterfall");
        }

        AssertLedgers(e, cash);
        output.WriteLine($"[table] −40% stress on {N} accounts: {liquidatable} liquidatable, {keeperLiquidations} keeper liquidations, {backstops} backstop takeovers, insurance paid {insurancePaid / 1_000_000} USD of {insuranceStart / 1_000_000} (+ fees {e.Markets[Perp].Insurance / 1_000_000} left), ADL volume {adlVolume / 1_000_000_000} TST");
        Assert.True(liquidatable > 1000, "a −40% move must hit the leveraged longs");
        Assert.True(backstops > 0 && adlVolume > 0, "the stress must reach the insurance fund and ADL");
    }
}
