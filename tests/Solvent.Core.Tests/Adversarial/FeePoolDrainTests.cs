using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.State;
using static Solvent.Core.Tests.PerpVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests.Adversarial;

/// <summary>
/// Attempts to drain a genesis-seeded fee pool. One owner trades from three subaccounts against the vAMM
/// of the perp test venue (TST-PERP, depth 1,000,000 TST at $100) and governance re-centres the AMM's mark
/// on the index after every move, as the simulator's venue does. A repeg is paid by the fee pool only for
/// the AMM's real loss to the users' net position, so pushing the mark, splitting across subaccounts and
/// hedging one subaccount against another must not turn the seed into the owner's profit.
/// </summary>
public class FeePoolDrainTests
{
    private const int Owner = 1, Bystander = 2, Lender = 3;
    private const string SeedUsd = "50000";
    private static readonly long Deposit = Usd("500000");

    private sealed class Venue
    {
        private long _cash;

        public Venue(string seed = SeedUsd, long takerFee = 0)
        {
            E = new Engine(PerpVenue.Genesis($", \"feePool\": \"{seed}\""));
            _cash = E.Markets[Perp].FeePool;
            Do(new UpdateMarketRisk(Gov, Perp, E.Markets[Perp].Risk with { TakerFee = takerFee, FillPriceBand = PerpRiskParams.MaxFillPriceBand }));
            Do(new Deposit(User(Lender), Acct(Lender), Usdc, Usd("1000000")));
            for (uint s = 0; s < 3; s++)
            {
                Do(new Deposit(User(Owner), Acct(Owner, s), Usdc, Deposit));
            }
        }

        public Engine E { get; }

        public PerpMarket M => E.Markets[Perp];

        public ActionResult Do(EngineAction a)
        {
            byte[] root = E.ComputeStateRoot();
            ActionResult r = E.Apply(a);
            foreach (EngineEvent ev in r.Events)
            {
                _cash += ev switch { Deposited d => d.Amount, Withdrawn w => -w.Amount, _ => 0 };
            }

            if (!r.Ok)
            {
                Assert.Equal(root, E.ComputeStateRoot());
            }

            Assert.True(M.FeePool >= 0, $"fee pool {M.FeePool} after {a}");
            AssertLedgers(E, _cash);
            return r;
        }

        /// <summary>Governance puts the mark back on the index with the reserves the AMM holds (the simulator's re-centring repeg).</summary>
        public ActionResult Recentre()
        {
            long target = (long)((UInt128)(ulong)E.Pools[Tst].Price * M.BaseReserve / M.QuoteReserve);
            return Do(new RepegAmm(Gov, Perp, System.Math.Max(1, target)));
        }

        public long Size(uint sub) => E.Accounts.Find(Acct(Owner, sub)) is var id and >= 0 ? E.Accounts.Size(id, Perp) : 0;

        public ActionResult Trade(uint sub, long size) => Do(new PlaceOrder(User(Owner), Acct(Owner, sub), Perp, size, 0, false));

        public void CloseAll(int user, uint subs)
        {
            for (uint s = 0; s < subs; s++)
            {
                int id = E.Accounts.Find(Acct(user, s));
                long size = E.Accounts.Size(id, Perp);
                if (size != 0)
                {
                    ActionResult closed = Do(new PlaceOrder(User(user), Acct(user, s), Perp, -size, 0, true));
                    if (closed.Code == ErrorCode.OrderWouldBankrupt)
                    {
                        // The AMM's mark sits so far from the index that closing there would bankrupt a solvent
                        // account (the engine refuses it): re-centre the mark, as governance does, and close.
                        Recentre();
                        closed = Do(new PlaceOrder(User(user), Acct(user, s), Perp, -size, 0, true));
                    }

                    Assert.True(closed.Ok, $"closing {Acct(user, s)} ({size}): {closed.Code} {closed.Message}");
                }
            }
        }

        /// <summary>What the owner's subaccounts hold once every position is closed: balances plus any profit still waiting in a quote.</summary>
        public long OwnerValue()
        {
            long v = 0;
            for (uint s = 0; s < 3; s++)
            {
                int id = E.Accounts.Find(Acct(Owner, s));
                Assert.Equal(0, E.Accounts.Size(id, Perp));
                long scaled = E.Accounts.Scaled(id, Usdc);
                v += (scaled >= 0 ? E.Pools[Usdc].ScaledToSupply(scaled) : -E.Pools[Usdc].ScaledToDebt(-scaled)) + E.Accounts.Quote(id, Perp);
            }

            return v;
        }
    }

    [Theory]
    [InlineData("2000", 0)]
    [InlineData("8000", 0)]
    [InlineData("8000", 500)]
    [InlineData("12000", 0)]
    public void Pushing_the_mark_so_the_venue_repegs_pays_the_pushers_nothing(string push, long takerFee)
    {
        var v = new Venue(takerFee: takerFee);
        long size = Base(push);
        for (int round = 0; round < 6; round++)
        {
            uint sub = (uint)(round % 3);
            long dir = round % 2 == 0 ? 1 : -1;
            ActionResult push1 = v.Trade(sub, dir * size);
            Assert.True(push1.Ok, push1.Message);
            ActionResult repeg = v.Recentre();
            Assert.True(repeg.Ok, repeg.Message);

            // Re-centring against the pushers' side is a gain for the pool, never a payment to them.
            Assert.True(repeg.Events.OfType<AmmAdjusted>().Single().Cost <= 0, "a repeg toward the index paid the pushers");
            v.CloseAll(Owner, 3);
        }

        Assert.True(v.OwnerValue() <= 3 * Deposit, $"the owner ended with {v.OwnerValue()} from {3 * Deposit}");
        Assert.True(v.M.FeePool >= Usd(SeedUsd), $"the pool fell from {Usd(SeedUsd)} to {v.M.FeePool}");
    }

    [Fact]
    public void A_hedged_owner_cannot_make_a_repeg_pay_it_the_seed_pays_only_the_net_position()
    {
        var v = new Venue();
        Assert.True(v.Do(new Deposit(User(Bystander), Acct(Bystander), Usdc, Deposit)).Ok);
        Assert.True(v.Do(new PlaceOrder(User(Bystander), Acct(Bystander), Perp, Base("300"), 0, false)).Ok);
        Assert.True(v.Trade(0, Base("5000")).Ok);
        Assert.True(v.Trade(1, -Base("5000")).Ok);
        Assert.True(v.Recentre().Ok);

        // The index rises 2%: the repeg pays what the AMM owes on the users' net long, the bystander's 300 TST.
        Assert.True(v.Do(new SetOraclePrice(Gov, Tst, Px("102"))).Ok);
        long cost = v.Recentre().Events.OfType<AmmAdjusted>().Single().Cost;
        Assert.InRange(cost, Usd("590"), Usd("610"));
        v.CloseAll(Owner, 2);
        v.CloseAll(Bystander, 1);
        Assert.True(v.OwnerValue() <= 3 * Deposit, $"the hedged owner ended with {v.OwnerValue() - (3 * Deposit)} more");
        Assert.True(v.M.FeePool >= Usd(SeedUsd) - cost, "the pool paid more than the one repeg");
    }

    [Fact]
    public void An_index_that_swings_and_returns_leaves_the_pool_whole_and_the_long_owner_without_profit()
    {
        var v = new Venue();
        Assert.True(v.Trade(0, Base("6000")).Ok);
        Assert.True(v.Trade(2, Base("3000")).Ok);
        Assert.True(v.Recentre().Ok);
        long pool = v.M.FeePool;
        foreach (string px in new[] { "103", "100", "106", "100", "101.5", "100" })
        {
            Assert.True(v.Do(new SetOraclePrice(Gov, Tst, Px(px))).Ok);
            Assert.True(v.Recentre().Ok);
        }

        Assert.True(v.M.FeePool >= pool, $"a round trip of the index cost the pool {pool - v.M.FeePool}");
        v.CloseAll(Owner, 3);
        Assert.True(v.OwnerValue() <= 3 * Deposit);
    }

    [Fact]
    public void A_repeg_dearer_than_the_seed_is_refused_whole()
    {
        var v = new Venue(seed: "100");
        Assert.True(v.Trade(0, Base("500")).Ok);
        Assert.True(v.Do(new SetOraclePrice(Gov, Tst, Px("101"))).Ok);

        // About $500 owed on the net long of 500 TST; the pool holds $100 (Do asserts the root is untouched).
        Assert.Equal(ErrorCode.AdjustmentTooExpensive, v.Recentre().Code);
        Assert.Equal(Usd("100"), v.M.FeePool);
        Assert.True(v.Do(new RepegAmm(Gov, Perp, Px("100.1"))).Ok);
        Assert.InRange(v.M.FeePool, 0, Usd("100"));
    }

    [Fact]
    public void The_largest_seed_takes_fees_and_repeg_gains_without_overflow()
    {
        var v = new Venue(seed: "1000000000", takerFee: 100_000);
        Assert.Equal(PerpMarketConfig.MaxFeePoolSeed, v.M.FeePool);
        Assert.True(v.Trade(0, Base("1000")).Ok);
        long afterFee = v.M.FeePool;
        Assert.True(afterFee > PerpMarketConfig.MaxFeePoolSeed);
        Assert.True(v.Do(new SetOraclePrice(Gov, Tst, Px("90"))).Ok);
        ActionResult gain = v.Recentre();
        Assert.True(gain.Ok, gain.Message);
        Assert.Equal(afterFee - gain.Events.OfType<AmmAdjusted>().Single().Cost, v.M.FeePool);
        Assert.True(v.M.FeePool > afterFee);
    }

    /// <summary>Random pushes, closes and re-centring repegs by one owner's three subaccounts at a fixed index.</summary>
    [Fact]
    public void No_sequence_of_pushes_and_repegs_at_a_fixed_index_pays_the_owner_from_the_seed()
    {
        Gen<(int Sub, int Kind, int Size)[]> ops = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[-20_000, 20_000]).Array[10, 40];
        int repegs = 0;
        ops.Sample(
            seq =>
            {
                var v = new Venue();
                foreach ((int sub, int kind, int size) in seq)
                {
                    switch (kind)
                    {
                        case 0:
                        case 1:
                            v.Trade((uint)sub, Base("1") * (size == 0 ? 1 : size));
                            break;
                        case 2:
                            repegs += v.Recentre().Ok ? 1 : 0;
                            break;
                        default:
                            if (v.Size((uint)sub) != 0)
                            {
                                v.Do(new PlaceOrder(User(Owner), Acct(Owner, (uint)sub), Perp, -v.Size((uint)sub), 0, true));
                            }

                            break;
                    }
                }

                v.CloseAll(Owner, 3);
                Assert.True(v.OwnerValue() <= 3 * Deposit, $"the owner gained {v.OwnerValue() - (3 * Deposit)}");
                Assert.True(v.M.FeePool >= Usd(SeedUsd), $"the pool lost {Usd(SeedUsd) - v.M.FeePool}");
            },
            iter: 40,
            threads: 1);
        Assert.True(repegs > 40, $"only {repegs} repegs accepted");
    }
}
