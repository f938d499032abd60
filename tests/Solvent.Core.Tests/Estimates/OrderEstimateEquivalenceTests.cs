using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.State;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Estimates;

/// <summary>
/// The order checks' fixed-point shortcuts change no decision: two engines on the same random stream of
/// deposits, borrows, opening, reducing and closing orders, price swings and interest, one of them with
/// <see cref="Engine.ExactChecksOnly"/>, give the same result (code and message) for every action and the
/// same state root. The stream is built to reach both sides of both order rules (initial health and the
/// reducing-order bankruptcy rule), which the test asserts, so the exact paths are not the only ones run.
/// </summary>
public class OrderEstimateEquivalenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Users = 8;

    internal readonly record struct Op(int Kind, int User, int Pick, int Frac);

    private static readonly Gen<Op[]> GenOps =
        Gen.Select(Gen.Int[0, 10], Gen.Int[0, Users - 1], Gen.Int[0, 4], Gen.Int[1, 1000])
           .Select(t => new Op(t.Item1, t.Item2, t.Item3, t.Item4)).Array[150, 400];

    [Fact]
    public void Orders_get_the_same_result_with_and_without_estimates()
    {
        var tally = new Dictionary<string, int>();
        GenOps.Sample(ops => new Pair(tally).Run(ops), iter: 60, threads: 1, print: o => $"{o.Length} ops");
        output.WriteLine("[table] order estimate equivalence: " + string.Join(", ", tally.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(tally.GetValueOrDefault("open ok") > 400, "opening orders accepted");
        Assert.True(tally.GetValueOrDefault("open " + nameof(ErrorCode.InitialHealthViolated)) > 40, "opening orders refused for initial health");
        Assert.True(tally.GetValueOrDefault("reduce ok") > 400, "reducing orders accepted");
        Assert.True(tally.GetValueOrDefault("reduce " + nameof(ErrorCode.OrderWouldBankrupt)) > 2, "reducing orders refused as bankrupting");
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
                // A wide band and no cap: the price swings below would otherwise refuse most fills first.
                Both(new UpdateMarketRisk(Gov, m, _fast.Markets[m].Risk with { FillPriceBand = PerpRiskParams.MaxFillPriceBand, OpenInterestCap = 0 }), null);
            }

            for (int a = 0; a < _fast.Pools.Length; a++)
            {
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
            PerpMarket m = _fast.Markets[market];
            long size = id < 0 ? 0 : _fast.Accounts.Size(id, market);
            long step = m.Config.StepSize;
            switch (op.Kind)
            {
                case 0:
                    Both(new Deposit(User(op.User), me, op.Pick, Worth(op.Pick, op.Frac * 20L)), null);
                    break;
                case 1:
                    Both(new Borrow(User(op.User), me, op.Pick, Worth(op.Pick, op.Frac * 5L)), null);
                    break;
                case 2:
                case 3:
                case 4:
                    {
                        // Up to 25× the free collateral at a 5–10% margin fraction: both sides of the initial-health rule.
                        long free = id < 0 ? 0 : (long)Int128.Min(_fast.HealthOf(id).FreeCollateral, long.MaxValue / 64);
                        long usd = (free * 25 / 1000 * op.Frac) + 1_000_000;
                        long q = SizeFor(market, usd) / step * step;
                        q = System.Math.Max(q, step);
                        Both(new PlaceOrder(User(op.User), me, market, op.Frac % 2 == 0 ? q : -q, 0, false), "open");
                        break;
                    }

                case 5:
                case 6:
                    {
                        long part = size / 1000 * op.Frac / step * step;
                        Both(new PlaceOrder(User(op.User), me, market, part == 0 ? -size : -part, 0, false), "reduce");
                        break;
                    }

                case 7:
                    Both(new PlaceOrder(User(op.User), me, market, size == 0 ? step : -size, 0, size != 0), "reduce");
                    break;
                case 8:
                case 9:
                    {
                        // Swings of up to ±33% of a perp's base asset or any collateral.
                        int asset = op.Kind == 8 ? m.Config.BaseAsset : op.Pick;
                        long p = _fast.Pools[asset].Price;
                        long next = System.Math.Max(1, p + (p / 1500 * (op.Frac - 500)));
                        _fast.ImportPrice(asset, next);
                        _exact.ImportPrice(asset, next);
                        break;
                    }

                default:
                    _time += op.Frac * 300L;
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
                string label = (reducing ? "reduce " : "open ") + (x.Ok ? "ok" : x.Code.ToString());
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
            var basePool = _fast.Pools[_fast.Markets[market].Config.BaseAsset];
            return checked((long)((Int128)value * basePool.ValueDivisor / basePool.Price));
        }
    }
}
