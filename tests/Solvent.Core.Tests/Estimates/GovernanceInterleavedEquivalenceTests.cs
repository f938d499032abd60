using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Estimates;

/// <summary>
/// The shortcuts' cached factors follow every change they fold in: two engines, one with
/// <see cref="Engine.ExactChecksOnly"/>, run the same random stream of deposits, borrows, opening and
/// reducing orders interleaved with governance changes to asset weights (liability weights up to 10×,
/// collateral switched off and on), market margin fractions and PnL weights, governance-set and imported
/// prices, and blocks that accrue interest; every action gets the same code and message and every block the
/// same state root.
/// </summary>
public class GovernanceInterleavedEquivalenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Users = 6;

    internal readonly record struct Op(int Kind, int User, int Pick, int Frac);

    private static readonly Gen<Op[]> GenOps =
        Gen.Select(Gen.Int[0, 13], Gen.Int[0, Users - 1], Gen.Int[0, 4], Gen.Int[1, 1000])
           .Select(t => new Op(t.Item1, t.Item2, t.Item3, t.Item4)).Array[150, 350];

    [Fact]
    public void Orders_and_borrows_agree_across_governance_and_price_changes()
    {
        var tally = new Dictionary<string, int>();
        GenOps.Sample(ops => new Pair(tally).Run(ops), iter: 40, threads: 1, print: o => $"{o.Length} ops");
        output.WriteLine("[table] governance-interleaved equivalence: " + string.Join(", ", tally.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(tally.GetValueOrDefault("open ok") > 100, "opening orders accepted");
        Assert.True(tally.GetValueOrDefault("open " + nameof(ErrorCode.InitialHealthViolated)) > 20, "opening orders refused for initial health");
        Assert.True(tally.GetValueOrDefault("reduce ok") > 80, "reducing orders accepted");
        Assert.True(tally.GetValueOrDefault("gov ok") > 100, "governance changes applied");
    }

    private sealed class Pair(Dictionary<string, int> tally)
    {
        private readonly Engine _fast = new(ExampleGenesis());
        private readonly Engine _exact = new(ExampleGenesis()) { ExactChecksOnly = true };
        private long _time;

        public void Run(Op[] ops)
        {
            _time = _fast.Time;
            for (int m = 0; m < _fast.Markets.Length; m++)
            {
                Both(new UpdateMarketRisk(Gov, m, _fast.Markets[m].Risk with { FillPriceBand = PerpRiskParams.MaxFillPriceBand, OpenInterestCap = 0 }), null);
            }

            for (int a = 0; a < _fast.Pools.Length; a++)
            {
                Both(new UpdateAssetRisk(Gov, a, _fast.Pools[a].Risk with { SupplyCap = 0, BorrowCap = 0 }), null);
                Both(new Deposit(User(100), Acct(100), a, Worth(a, 50_000_000)), null);
            }

            foreach (Op op in ops)
            {
                Step(op);
            }

            Assert.Equal(_exact.ComputeStateRoot(), _fast.ComputeStateRoot());
        }

        private void Step(Op op)
        {
            AccountKey me = Acct(op.User);
            int id = _fast.Accounts.Find(me);
            int market = op.Pick % _fast.Markets.Length;
            int asset = op.Pick % _fast.Pools.Length;
            PerpMarket m = _fast.Markets[market];
            long size = id < 0 ? 0 : _fast.Accounts.Size(id, market);
            long step = m.Config.StepSize;
            switch (op.Kind)
            {
                case 0:
                    Both(new Deposit(User(op.User), me, asset, Worth(asset, op.Frac * 20L)), null);
                    break;
                case 1:
                    Both(new Borrow(User(op.User), me, asset, Worth(asset, op.Frac * 5L)), "borrow");
                    break;
                case 2:
                case 3:
                    {
                        long free = id < 0 ? 0 : (long)Int128.Min(_fast.HealthOf(id).FreeCollateral, long.MaxValue / 64);
                        long q = SizeFor(market, (free * 25 / 1000 * op.Frac) + 1_000_000) / step * step;
                        q = System.Math.Max(q, step);
                        Both(new PlaceOrder(User(op.User), me, market, op.Frac % 2 == 0 ? q : -q, 0, false), "open");
                        break;
                    }

                case 4:
                case 5:
                    {
                        long part = size / 1000 * op.Frac / step * step;
                        Both(new PlaceOrder(User(op.User), me, market, part == 0 ? -size : -part, 0, false), "reduce");
                        break;
                    }

                case 6:
                case 7:
                    {
                        // Asset weights: liability weight anywhere up to the 10× limit, asset weight below maintenance.
                        AssetRiskParams r = _fast.Pools[asset].Risk;
                        long liability = r.MaintenanceLiabilityWeight + ((10_000_000 - r.MaintenanceLiabilityWeight) / 1000 * (op.Frac % 250));
                        long assetWeight = r.MaintenanceAssetWeight / 1000 * op.Frac;
                        Both(new UpdateAssetRisk(Gov, asset, r with { InitialLiabilityWeight = liability, InitialAssetWeight = assetWeight, Collateral = op.Kind == 6 || op.Frac % 7 != 0 }), "gov");
                        break;
                    }

                case 8:
                    {
                        // Margin fractions and PnL weights of a market.
                        PerpRiskParams r = m.Risk;
                        long imf = r.MaintenanceMarginFraction + ((1_000_000 - r.MaintenanceMarginFraction) / 4000 * op.Frac);
                        Both(new UpdateMarketRisk(Gov, market, r with { InitialMarginFraction = imf, PnlInitialWeight = r.PnlMaintenanceWeight / 1000 * op.Frac }), "gov");
                        break;
                    }

                case 9:
                    {
                        long p = _fast.Pools[asset].Price;
                        Both(new SetOraclePrice(Gov, asset, System.Math.Max(1, p + (p / 1500 * (op.Frac - 500)))), "gov");
                        break;
                    }

                case 10:
                case 11:
                    {
                        int moved = op.Kind == 10 ? m.Config.BaseAsset : asset;
                        long p = _fast.Pools[moved].Price;
                        long next = System.Math.Max(1, p + (p / 1500 * (op.Frac - 500)));
                        _fast.ImportPrice(moved, next);
                        _exact.ImportPrice(moved, next);
                        break;
                    }

                default:
                    _time += op.Frac * 600L;
                    BlockResult a = _fast.Apply(new Block(new BlockHeader(_fast.Height + 1, _time, _fast.LastRoot), []));
                    BlockResult b = _exact.Apply(new Block(new BlockHeader(_exact.Height + 1, _time, _exact.LastRoot), []));
                    Assert.Equal(b.StateRoot, a.StateRoot);
                    break;
            }
        }

        private void Both(EngineAction a, string? kind)
        {
            bool reducing = a is PlaceOrder o && IsReducing(o);
            ActionResult x = _exact.Apply(a);
            ActionResult y = _fast.Apply(a);
            Assert.Equal(x.Code, y.Code);
            Assert.Equal(x.Message, y.Message);
            if (kind is not null)
            {
                string label = (kind == "open" && reducing ? "reduce" : kind) + " " + (x.Ok ? "ok" : x.Code.ToString());
                tally[label] = tally.GetValueOrDefault(label) + 1;
            }
        }

        private bool IsReducing(PlaceOrder o)
        {
            int id = _exact.Accounts.Find(o.Account);
            long size = id < 0 ? 0 : _exact.Accounts.Size(id, o.Market);
            long after = size + o.Size;
            return size != 0 && (after == 0 || (System.Math.Sign(after) == System.Math.Sign(size) && System.Math.Abs(after) < System.Math.Abs(size)));
        }

        private long Worth(int asset, long usd) =>
            checked((long)((Int128)usd * 1_000_000 * _fast.Pools[asset].ValueDivisor / _fast.Pools[asset].Price));

        private long SizeFor(int market, long value)
        {
            AssetPool basePool = _fast.Pools[_fast.Markets[market].Config.BaseAsset];
            return checked((long)((Int128)value * basePool.ValueDivisor / basePool.Price));
        }
    }
}
