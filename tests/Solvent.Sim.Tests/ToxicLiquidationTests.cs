using CsCheck;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Sim.Tests;

/// <summary>
/// A liquidation repaying r of debt D against collateral C seizes r·(1+p), so LTV' = (D−r)/(C−r(1+p)) exceeds
/// D/C exactly when D(1+p) > C, i.e. LTV > 1/(1+p): 95.24% at 5%, 90.91% at 10%. Checked on the real engine.
/// </summary>
public class ToxicLiquidationTests
{
    private const int Usdc = 0, Eth = 2;

    private static readonly Lazy<Genesis> Example = new(() => GenesisLoader.Parse(File.ReadAllText(Path.Combine(SimScenarios.ScenarioDir, "genesis.example.json"))));

    private static (double Before, double After) HealthFactorAround(double penalty, double ltv)
    {
        Genesis g = Example.Value;
        var risk = g.Risk.ToArray();
        risk[Eth] = risk[Eth] with { LiquidationPenalty = (long)(penalty * 1e6), ProtocolShare = 0, SupplyCap = 0, BorrowCap = 0 };
        risk[Usdc] = risk[Usdc] with { SupplyCap = 0, BorrowCap = 0 };
        var e = new Engine(g with { Risk = risk });
        var user = new AccountKey(new Address(1, 1, 1), 0);
        var keeper = new AccountKey(new Address(2, 2, 2), 0);
        e.ImportBalance(new AccountKey(new Address(3, 3, 3), 0), MarginMode.Cross, Usdc, 10_000_000_000_000);
        e.ImportBalance(user, MarginMode.Cross, Eth, 10_000_000_000); // 10 ETH at 3000 = 30,000 USD
        e.ImportBalance(user, MarginMode.Cross, Usdc, -(long)(30_000 * ltv * 1e6));
        e.ImportBalance(keeper, MarginMode.Cross, Usdc, 1_000_000_000_000);
        int id = e.Accounts.Find(user);
        double Hf() => (double)e.HealthOf(id).HealthFactorWad!.Value / (double)Precision.Wad;
        double before = Hf();
        // A small repay (5% of the debt) keeps the liquidation partial, so the account stays open to measure.
        ActionResult r = e.Apply(new Liquidate(keeper.Owner, keeper, user, Usdc, Eth, (long)(30_000 * ltv * 0.05 * 1e6)));
        Assert.True(r.Ok, r.Message);
        return (before, Hf());
    }

    [Theory]
    [InlineData(0.05, 0.9524)]
    [InlineData(0.10, 0.9091)]
    public void Liquidation_worsens_health_exactly_above_ltv_one_over_one_plus_penalty(double penalty, double boundary)
    {
        Assert.Equal(boundary, 1 / (1 + penalty), 4);
        (double b1, double a1) = HealthFactorAround(penalty, boundary - 0.004);
        Assert.True(a1 > b1, $"below the boundary the liquidation must help: {b1} → {a1}");
        (double b2, double a2) = HealthFactorAround(penalty, boundary + 0.004);
        Assert.True(a2 < b2, $"above the boundary the liquidation must hurt: {b2} → {a2}");
    }

    [Fact]
    public void The_toxic_side_matches_the_formula_across_loan_to_values()
    {
        Gen.Select(Gen.Double[0.84, 0.99], Gen.Int[0, 1]).Sample(
            (ltv, which) =>
            {
                double penalty = which == 0 ? 0.05 : 0.10;
                if (Math.Abs(ltv - (1 / (1 + penalty))) < 0.002)
                {
                    return; // Rounding decides at the boundary itself.
                }

                (double before, double after) = HealthFactorAround(penalty, ltv);
                Assert.Equal(ltv > 1 / (1 + penalty), after < before);
            },
            iter: 200);
    }
}
