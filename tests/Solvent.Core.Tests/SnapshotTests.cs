using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.State;
using static Solvent.Core.Tests.OracleVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>
/// Snapshots: an engine restored from a snapshot must hash to the same root and then behave exactly like
/// the original — same results, same roots — for every later block (lending, perpetuals, oracle reports,
/// implied volatility and controller steps on the oracle genesis).
/// </summary>
public sealed class SnapshotTests
{
    private const int EthPerp = 0;

    [Fact]
    public void Restored_engine_follows_the_original_block_for_block()
    {
        Gen.Select(Gen.Int[0, 9], Gen.Int[1, 12], Gen.Int[1, 1000]).Array[300].Sample(
            ops =>
            {
                // Prices walk without repegs; the widest fill band keeps trades going (the band is not under test here).
                var genesis = WidestFillBand(OracleGenesis());
                Engine original = new(genesis);
                Engine copy = Engine.RestoreSnapshot(genesis, original.SaveSnapshot(), original.ComputeStateRoot());
                var pending = new List<EngineAction>();
                long now = original.Time;
                int restores = 0, accepted = 0, orders = 0;
                foreach ((int kind, int user, int frac) in ops)
                {
                    if (kind == 9)
                    {
                        now += frac % 90;
                        var block = new Block(new BlockHeader(original.Height + 1, now, original.LastRoot), [.. pending]);
                        BlockResult a = original.Apply(block);
                        BlockResult b = copy.Apply(block);
                        Assert.Equal(a.StateRoot, b.StateRoot);
                        for (int i = 0; i < a.Results.Count; i++)
                        {
                            Assert.Equal(a.Results[i].Code, b.Results[i].Code);
                            accepted += a.Results[i].Ok ? 1 : 0;
                            orders += a.Results[i].Ok && block.Actions[i] is PlaceOrder ? 1 : 0;
                        }

                        pending.Clear();
                        if (frac % 3 == 0)
                        {
                            copy = Engine.RestoreSnapshot(genesis, original.SaveSnapshot(), original.LastRoot);
                            restores++;
                        }

                        continue;
                    }

                    if (kind == 6)
                    {
                        // A quorum of publishers, so the feed stays fresh and trades go through.
                        long price = original.Pools[ETH].Price * (950 + (frac % 100)) / 1000;
                        for (int p = 1; p <= 3; p++)
                        {
                            pending.Add(new PriceReport(Publisher(((user + p) % 5) + 1), ETH, price, 0, now));
                        }

                        continue;
                    }

                    pending.Add(Build(kind, user, frac, now));
                }

                // The run must reach the state that matters: accepted trades and oracle-moved prices.
                Assert.True(restores > 0 && accepted > 40 && orders > 0, $"{restores} restores, {accepted} accepted, {orders} orders");
                Assert.NotEqual(3_000 * 100_000_000L, original.Pools[ETH].Price);
            },
            iter: 20,
            threads: 1);
    }

    [Fact]
    public void Snapshots_that_do_not_belong_are_refused_with_a_reason()
    {
        var genesis = OracleGenesis();
        var o = new OracleVenue(genesis);
        o.V.Deposit(1, ETH, "2");
        o.All(60, ETH, "3100");
        byte[] snap = o.Engine.SaveSnapshot();

        Assert.Contains("truncated", Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(genesis, snap.AsSpan(0, snap.Length - 5))).Message);
        Assert.Contains("bytes left", Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(genesis, [.. snap, 0])).Message);
        byte[] wrongRoot = new byte[32];
        Assert.Contains("hashes to", Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(genesis, snap, wrongRoot)).Message);
        Assert.Contains("asset", Assert.Throws<InvalidSnapshotException>(() => Engine.RestoreSnapshot(ExampleGenesis() with { Assets = [.. ExampleGenesis().Assets.Take(4)], Risk = [.. ExampleGenesis().Risk.Take(4)], Markets = [], MarketRisk = [] }, snap)).Message);

        Engine back = Engine.RestoreSnapshot(genesis, snap, o.Engine.ComputeStateRoot());
        Assert.Equal(o.Engine.FeedOf(ETH)!.StablePrice, back.FeedOf(ETH)!.StablePrice);
        Assert.Equal(o.Engine.Pools[ETH].InitialAssetPrice, back.Pools[ETH].InitialAssetPrice);
        Assert.Equal(o.Engine.HealthOf(o.Engine.Accounts.Find(Acct(1))), back.HealthOf(back.Accounts.Find(Acct(1))));
    }

    private static Config.Genesis WidestFillBand(Config.Genesis g) =>
        g with { MarketRisk = [.. g.MarketRisk.Select(r => r with { FillPriceBand = Config.PerpRiskParams.MaxFillPriceBand })] };

    private static EngineAction Build(int kind, int user, int frac, long now)
    {
        AccountKey me = Acct(user);
        return kind switch
        {
            0 => new Deposit(User(user), me, USDC, frac * 100_000_000L),
            1 => new Deposit(User(user), me, ETH, frac * 10_000_000L),
            2 => new Borrow(User(user), me, USDC, frac * 10_000_000L),
            3 => new Withdraw(User(user), me, ETH, frac * 1_000_000L),
            4 => new PlaceOrder(User(user), me, EthPerp, (frac - 500) * 1_000_000L, 0, false),
            5 => new Repay(User(user), me, USDC, frac * 1_000_000L),
            7 => new VolatilityReport(Publisher(1 + (user % 5)), ETH, frac * 2_000, now),
            _ => new LiquidatePerp(User(user), me, Acct(1 + (frac % 12)), EthPerp, 1_000_000),
        };
    }
}
