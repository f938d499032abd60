using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Random governance values — extreme ones near ±long.MaxValue included — interleaved with trades, borrows
/// and time gaps from a second to a decade: <see cref="Engine.Apply(Block)"/> never throws, the chain keeps
/// producing blocks, and governance can always restore the genesis parameters afterwards.
/// </summary>
public class GovernancePropertyTests
{
    private const int Markets = 3, Assets = 5, Traders = 4;

    internal readonly record struct Op(int Kind, int Target, int Field, long Value, int Gap);

    private static readonly long[] Gaps = [0, 1, 600, 3600, 86_400, 31_536_000, 315_360_000];

    private static readonly Gen<long> Values = Gen.OneOf(
        Gen.Long,
        Gen.Long[long.MaxValue - 1_000, long.MaxValue],
        Gen.Long[long.MinValue, long.MinValue + 1_000],
        Gen.Long[-2_000_000_000, 2_000_000_000],
        Gen.Long[0, 2_000_000],
        Gen.Long[1_000_000_000_000, 1_000_000_000_000_000_000]);

    internal static readonly Gen<Op[]> GenOps =
        Gen.Select(Gen.Int[0, 12], Gen.Int[0, 63], Gen.Int[0, 15], Values, Gen.Int[0, Gaps.Length - 1])
           .Select(t => new Op(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5)).Array[20, 60];

    [Fact]
    public void Random_governance_values_never_halt_the_chain()
    {
        GenOps.Sample(ops => Run(ExampleGenesis(), ops), iter: 100, threads: 1, print: ops => string.Join("; ", ops));
    }

    [Fact]
    public void Random_governance_values_and_publisher_reports_never_halt_an_oracle_chain()
    {
        // Publisher-fed ETH and WBTC with risk controllers: the end-of-block phase runs every block.
        GenOps.Sample(ops => Run(OracleVenue.OracleGenesis(), ops), iter: 100, threads: 1, print: ops => string.Join("; ", ops));
    }

    private static void Run(Genesis g, Op[] ops)
    {
        var v = new TestVenue(g);
        Engine e = v.Engine;
        var block = new List<EngineAction>();
        for (int u = 0; u < Traders; u++)
        {
            block.Add(new Deposit(User(u), Acct(u), USDC, v.Q(USDC, "5000000")));
            block.Add(new Deposit(User(u), Acct(u), ETH, v.Q(ETH, "500")));
        }

        Produce(v, 1, block);
        foreach (Op op in ops)
        {
            Produce(v, Gaps[op.Gap], Actions(v, op, e.Time + Gaps[op.Gap]));
        }

        // The fix: genesis parameters and prices are accepted whatever came before, and blocks keep coming.
        var fix = new List<EngineAction>();
        for (int m = 0; m < Markets; m++)
        {
            fix.Add(new UpdateMarketRisk(Gov, m, v.Genesis.MarketRisk[m]));
        }

        for (int a = 0; a < Assets; a++)
        {
            fix.Add(new UpdateAssetRisk(Gov, a, v.Genesis.Risk[a]));
            if (e.FeedOf(a) is null)
            {
                fix.Add(new SetOraclePrice(Gov, a, v.Genesis.Assets[a].InitialPrice));
            }
        }

        fix.Add(new UpdateLiquidationConfig(Gov, v.Genesis.Liquidation));
        BlockResult fixed1 = Produce(v, 1, fix);
        Assert.All(fixed1.Results, r => Assert.True(r.Ok, $"{r.CodeName}: {r.Message}"));
        long height = e.Height;
        for (int i = 0; i < 3; i++)
        {
            Produce(v, 3600, []);
        }

        Assert.Equal(height + 3, e.Height);
    }

    private static BlockResult Produce(TestVenue v, long gap, List<EngineAction> actions)
    {
        long before = v.Engine.Height;
        BlockResult r = v.Block(v.Engine.Time + gap, [.. actions]);
        Assert.Equal(before + 1, v.Engine.Height);
        return r;
    }

    private static List<EngineAction> Actions(TestVenue v, Op op, long time)
    {
        int asset = op.Target % Assets;
        switch (op.Kind)
        {
            case 10:
                {
                    // Three to five publishers report around one (possibly extreme) price.
                    var reports = new List<EngineAction>();
                    for (int p = 1; p <= 3 + (op.Field % 3); p++)
                    {
                        long price = op.Value / p == 0 ? 1 : op.Value / p;
                        reports.Add(new PriceReport(OracleVenue.Publisher(p), asset, price, 0, time));
                    }

                    return reports;
                }

            case 11:
                return [.. Enumerable.Range(1, 3).Select(p => (EngineAction)new VolatilityReport(OracleVenue.Publisher(p), asset, op.Value, time))];
            case 12:
                return [new ResumeOracleFeed(Gov, asset)];
            default:
                return [Action(v, op)];
        }
    }

    private static EngineAction Action(TestVenue v, Op op)
    {
        int market = op.Target % Markets, asset = op.Target % Assets, user = op.Target % Traders;
        long x = op.Value;
        switch (op.Kind)
        {
            case 0:
                {
                    PerpRiskParams r = v.Engine.Markets[market].Risk;
                    return new UpdateMarketRisk(Gov, market, (op.Field % 13) switch
                    {
                        0 => r with { InitialMarginFraction = x },
                        1 => r with { MaintenanceMarginFraction = x },
                        2 => r with { OpenInterestLower = x },
                        3 => r with { OpenInterestUpper = x },
                        4 => r with { ImfFactor = x },
                        5 => r with { OpenInterestCap = x },
                        6 => r with { MaxFundingRate = x },
                        7 => r with { InterestRate = x },
                        8 => r with { LiquidationPenalty = x },
                        9 => r with { ProtocolShare = x },
                        10 => r with { TakerFee = x },
                        11 => r with { PnlInitialWeight = x },
                        _ => r with { MaxFundingRate = System.Math.Abs(x / 2), InterestRate = x / 2 },
                    });
                }

            case 1:
                {
                    AssetRiskParams r = v.Engine.Pools[asset].Risk;
                    UInt128 ray = (UInt128)(ulong)x * (ulong)System.Math.Max(1, op.Field);
                    return new UpdateAssetRisk(Gov, asset, (op.Field % 10) switch
                    {
                        0 => r with { InitialAssetWeight = x },
                        1 => r with { MaintenanceAssetWeight = x },
                        2 => r with { InitialLiabilityWeight = x },
                        3 => r with { MaintenanceLiabilityWeight = x },
                        4 => r with { LiquidationPenalty = x },
                        5 => r with { SupplyCap = x, BorrowCap = x },
                        6 => r with { ReserveFactor = x },
                        7 => r with { RateModel = new KinkedRateModel(ray, ray, ray, Math.Precision.Ray / 2) },
                        8 => r with { ProtocolShare = x },
                        _ => r with { Paused = x % 2 == 0 },
                    });
                }

            case 2:
                {
                    LiquidationConfig c = v.Engine.Liquidation;
                    return new UpdateLiquidationConfig(Gov, (op.Field % 4) switch
                    {
                        0 => c with { CloseFactor = x },
                        1 => c with { FullCloseHealthFactor = x },
                        2 => c with { HealthTarget = x },
                        _ => c with { DustThreshold = x },
                    });
                }

            case 3:
                return new SetOraclePrice(Gov, asset, x);
            case 4:
                return new RepegAmm(Gov, market, x);
            case 5:
                return op.Field % 4 == 3 ? new TopUpFeePool(Gov, market, x) : new AdjustAmmDepth(Gov, market, x);
            case 6:
            case 7:
                {
                    // Trades of up to ±500 steps push marks away from the index (premiums, funding).
                    long step = v.Genesis.Markets[market].StepSize;
                    long size = ((x % 1_000) - 500) * step;
                    return new PlaceOrder(User(user), Acct(user), market, size == 0 ? step : size, 0, false);
                }

            case 8:
                return new Borrow(User(user), Acct(user), asset, System.Math.Abs(x % v.Q(asset, "1000")) + 1);
            default:
                {
                    // Parameters that got past validation (an older snapshot, a future bug): funding must freeze, not throw.
                    PerpMarket m = v.Engine.Markets[market];
                    m.Risk = m.Risk with { InterestRate = x, MaxFundingRate = long.MaxValue };
                    return new FlagLiquidatable(User(user), Acct(user));
                }
        }
    }
}
