using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.Perps;
using Solvent.Core.Risk;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>
/// Random trade / price / funding / liquidation sequences on a perp venue, with Σ sizes = 0, the
/// exact quote ledgers, rejected-unchanged and liquidation monotonicity asserted after every action.
/// </summary>
public class PerpPropertyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Users = 24;

    internal readonly record struct Op(int Kind, int A, int B, int Frac);

    internal static readonly Gen<Op[]> GenOps =
        Gen.Select(Gen.Int[0, 11], Gen.Int[0, Users - 1], Gen.Int[0, Users - 1], Gen.Int[1, 1000])
           .Select(t => new Op(t.Item1, t.Item2, t.Item3, t.Item4)).Array[4_000];

    [Fact]
    public void Perp_invariants_hold_after_every_action()
    {
        GenOps.Sample(ops => new Runner(check: true).Run(ops), iter: 3, threads: 1, print: o => $"{o.Length} ops");
    }

    [Fact]
    public void Perp_sequences_exercise_trades_funding_and_every_waterfall_step()
    {
        var r = new Runner(check: false);
        r.Run(GenOps.Single(_ => true, "ft2M-FqiLBR1"));
        output.WriteLine("[table] perp property run (4,000 ops): " + string.Join(", ", r.Accepted.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(r.Accepted.GetValueOrDefault("PlaceOrder") > 200, "trades");
        Assert.True(r.Accepted.GetValueOrDefault("LiquidatePerp") > 0, "keeper liquidations");
        Assert.True(r.Accepted.GetValueOrDefault("BackstopLiquidate") > 0, "backstop takeovers");
    }

    /// <summary>
    /// The same sequences on a venue whose fee pool is seeded at genesis, with governance re-centring the AMM on
    /// the index after every oracle move (as the simulator does): the seed counts as cash from genesis, repegs
    /// draw on it, and every ledger, the rejected-unchanged rule and the waterfall checks still hold.
    /// </summary>
    [Fact]
    public void Perp_invariants_hold_with_a_seeded_fee_pool_paying_repegs()
    {
        int repegs = 0, refused = 0;
        GenOps.Sample(
            ops =>
            {
                var r = new Runner(check: true, seed: "20000");
                r.Run(ops);
                repegs += r.Accepted.GetValueOrDefault("RepegAmm");
                refused += r.RepegsRefused;
            },
            iter: 2,
            threads: 1,
            print: o => $"{o.Length} ops");
        output.WriteLine($"[table] seeded perp property runs: {repegs} repegs paid, {refused} refused by the fee pool");
        Assert.True(repegs > 100, $"only {repegs} repegs were paid");
    }

    [Fact]
    public void Same_perp_sequence_gives_the_same_root()
    {
        GenOps.Sample(ops => Assert.Equal(new Runner(check: false).Run(ops), new Runner(check: false).Run(ops)), iter: 2, threads: 1, print: o => $"{o.Length} ops");
    }

    internal sealed class Runner(bool check, string? seed = null)
    {
        private readonly Engine _e = new(seed is null ? Genesis() : Genesis($", \"feePool\": \"{seed}\""));
        private long _cash = seed is null ? 0 : Usd(seed);
        private long _time;
        private int _fundingSettlements;

        public Dictionary<string, int> Accepted { get; } = [];

        public int RepegsRefused { get; private set; }

        public byte[] Run(Op[] ops)
        {
            _time = _e.Time;
            Assert.True(_e.Apply(new UpdateMarketRisk(Gov, Perp, _e.Markets[Perp].Risk with { TakerFee = 500, FillPriceBand = Config.PerpRiskParams.MaxFillPriceBand })).Ok);
            for (int k = 0; k < 3; k++)
            {
                Exec(new Deposit(User(100 + k), Acct(100 + k), Usdc, Usd("10000000")));
            }

            foreach (Op op in ops)
            {
                if (op.Kind == 11)
                {
                    _time += op.Frac * 3;
                    _e.Apply(new Blocks.Block(new Blocks.BlockHeader(_e.Height + 1, _time, _e.LastRoot), []));
                    if (check)
                    {
                        AssertLedgers(_e, _cash);
                        AssertNoUncollectableDebt();
                    }

                    continue;
                }

                EngineAction a = Build(op);
                Exec(a);
                if (seed is not null && a is SetOraclePrice)
                {
                    Recentre();
                }
            }

            if (check)
            {
                AssertFundingZeroSum();
            }

            return _e.ComputeStateRoot();
        }

        private EngineAction Build(Op op)
        {
            AccountKey me = Acct(op.A);
            int f = op.Frac;
            int id = _e.Accounts.Find(me);
            long size = id < 0 ? 0 : _e.Accounts.Size(id, Perp);
            switch (op.Kind)
            {
                case 0:
                    return new Deposit(User(op.A), me, Usdc, Usd("10") * f);
                case 1:
                    return new Withdraw(User(op.A), me, Usdc, Usd("5") * f);
                case 2:
                case 3:
                case 4:
                    {
                        // Up to ~9.5× the free collateral, either side; sometimes with a worst price or reduce-only.
                        long free = id < 0 ? 0 : (long)_e.HealthOf(id).FreeCollateral;
                        long notional = free * 9 * System.Math.Abs(f - 500) / 500;
                        long q = notional / 1_000_000 * 1_000_000_000 / (_e.Pools[Tst].Price / 100_000_000) / 1_000_000 * 1_000_000;
                        q = f < 500 ? -q : q;
                        q = q == 0 ? 1_000_000 : q;
                        long worst = f % 7 == 0 ? _e.Pools[Tst].Price + (q > 0 ? 1 : -1) * (f % 3) * 10_000_000 : 0;
                        return new PlaceOrder(User(op.A), me, Perp, q, System.Math.Max(0, worst / 1_000_000 * 1_000_000), f % 5 == 0);
                    }

                case 5:
                    return new PlaceOrder(User(op.A), me, Perp, -size, 0, true);
                case 6:
                case 7:
                    {
                        long p = _e.Pools[Tst].Price;
                        return new SetOraclePrice(Gov, Tst, System.Math.Max(Px("1"), p + (p * (f - 500) / 6000)));
                    }

                case 8:
                    {
                        int target = FirstLiquidatable(op.A);
                        AccountKey t = target < 0 ? me : _e.Accounts.KeyOf(target);
                        long tsize = target < 0 ? 1 : System.Math.Abs(_e.Accounts.Size(target, Perp));
                        // Usually a step multiple; one in ten not, which must be refused.
                        long take = System.Math.Max(1_000_000, tsize * f / 1000 / 1_000_000 * 1_000_000);
                        return new LiquidatePerp(User(100 + (op.B % 3)), Acct(100 + (op.B % 3)), t, Perp, f % 10 == 0 ? take + 1 : take);
                    }

                case 9:
                    {
                        int target = FirstLiquidatable(op.A);
                        return new BackstopLiquidate(User(op.B), target < 0 ? me : _e.Accounts.KeyOf(target), Perp);
                    }

                default:
                    {
                        int target = FirstLiquidatable(op.A);
                        return new FlagLiquidatable(User(op.B), target < 0 ? me : _e.Accounts.KeyOf(target));
                    }
            }
        }

        /// <summary>Governance puts the mark on the index with the reserves the AMM holds; the fee pool may refuse.</summary>
        private void Recentre()
        {
            PerpMarket m = _e.Markets[Perp];
            long target = (long)((UInt128)(ulong)_e.Pools[Tst].Price * m.BaseReserve / m.QuoteReserve);
            RepegAmm repeg = new(Gov, Perp, System.Math.Max(1, target));
            if (Exec(repeg).Code == ErrorCode.AdjustmentTooExpensive)
            {
                RepegsRefused++;
            }
        }

        private int FirstLiquidatable(int start)
        {
            int n = _e.Accounts.Count;
            for (int i = 0; i < n; i++)
            {
                int id = (start + i) % n;
                if (!_e.IsProtocolAccount(id) && _e.HealthOf(id).IsLiquidatable)
                {
                    return id;
                }
            }

            return -1;
        }

        private ActionResult Exec(EngineAction a)
        {
            byte[]? root = check ? _e.ComputeStateRoot() : null;
            AccountKey? target = a switch
            {
                LiquidatePerp l => l.Target,
                BackstopLiquidate b => b.Target,
                _ => null,
            };
            int tid = target is { } tk ? _e.Accounts.Find(tk) : -1;
            Health? before = tid >= 0 ? _e.HealthOf(tid) : null;

            ActionResult r = _e.Apply(a);
            if (r.Ok)
            {
                Accepted[a.GetType().Name] = Accepted.GetValueOrDefault(a.GetType().Name) + 1;
            }

            foreach (EngineEvent ev in r.Events)
            {
                switch (ev)
                {
                    case Deposited d:
                        _cash += d.Amount;
                        break;
                    case Withdrawn w:
                        _cash -= w.Amount;
                        break;
                    case FundingSettled:
                        _fundingSettlements++;
                        break;
                }
            }

            if (!check)
            {
                return r;
            }

            if (!r.Ok)
            {
                Assert.True(root.AsSpan().SequenceEqual(_e.ComputeStateRoot()), $"rejected {a} ({r.CodeName}) changed state");
                return r;
            }

            AssertLedgers(_e, _cash);
            if (a is LiquidatePerp && tid >= 0 && _e.Accounts.Size(tid, Perp) != 0)
            {
                Assert.True(_e.HealthOf(tid).MaintenanceHealth > before!.Value.MaintenanceHealth, $"{target} ended a keeper liquidation less healthy");
            }

            if (a is BackstopLiquidate && tid >= 0)
            {
                Assert.Equal(0, _e.Accounts.Size(tid, Perp));
                Assert.True(_e.HealthOf(tid).Equity >= 0, "the backstop leaves no negative equity behind");
            }

            return r;
        }

        /// <summary>After every block no debt sits where no liquidation can collect it: a settlement that leaves an account bankrupt ran the bad-debt waterfall at once.</summary>
        private void AssertNoUncollectableDebt()
        {
            foreach (int id in UncollectableDebt.Find(_e))
            {
                Assert.Fail($"after the block {_e.Accounts.KeyOf(id)} owes {_e.Pools[Usdc].ScaledToDebt(-_e.Accounts.Scaled(id, Usdc))} USDC quantums with nothing to collect");
            }
        }

        /// <summary>Funding paid equals funding received: once every position is brought to the current index, the rounded net is the protocol's rounding, never negative and never more than a unit per settlement.</summary>
        private void AssertFundingZeroSum()
        {
            PerpMarket m = _e.Markets[Perp];
            long unsettled = 0;
            for (int id = 0; id < _e.Accounts.Count; id++)
            {
                long s = _e.Accounts.Size(id, Perp);
                unsettled += FundingMath.Owed(s, m.FundingIndex, _e.Accounts.FundingSnapshot(id, Perp), m.BaseQuantumDecimals);
            }

            long net = unsettled + m.FundingSettled;
            Assert.InRange(net, 0, _fundingSettlements + _e.Accounts.Count);
        }
    }
}
