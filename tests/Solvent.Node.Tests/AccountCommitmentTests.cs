using CsCheck;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Node.Hosting;
using Solvent.Node.Recovery;

namespace Solvent.Node.Tests;

public class AccountCommitmentTests
{
    private static Address User(int i) => new(0, 0, (uint)(i + 1));

    /// <summary>
    /// The incrementally maintained accounts root equals a tree rebuilt from every account's canonical
    /// bytes after each block, over random blocks of deposits, borrows, transfers, mode switches,
    /// orders, price moves, flags and liquidations — with a risk index draining the dirty set as in the node.
    /// </summary>
    [Fact]
    public void Incremental_accounts_root_equals_a_full_rebuild_after_every_block()
    {
        Genesis g = GenesisLoader.Parse(NodeOptions.ExampleGenesis());
        Gen<(int Kind, int A, int B, int Asset, long Amount)> op = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 5], Gen.Int[0, 5], Gen.Int[0, g.Assets.Count - 1], Gen.Long[1, 50_000]);
        op.Array[1, 12].Array[1, 12].Sample(blocks =>
        {
            var e = new Engine(g);
            var risk = new RiskIndex(e);
            AccountCommitment c = AccountCommitment.Of(e);
            long time = g.GenesisTime;
            foreach ((int Kind, int A, int B, int Asset, long Amount)[] ops in blocks)
            {
                var actions = ops.Select(o => Action(g, o)).ToArray();
                time += 3600;
                e.Apply(new Block(new BlockHeader(e.Height + 1, time, e.LastRoot), actions));
                c.Update(e);
                Assert.Equal(AccountCommitment.Of(e).Root(), c.Root());
                risk.Tick();
            }
        }, iter: 150);
    }

    private static EngineAction Action(Genesis g, (int Kind, int A, int B, int Asset, long Amount) o)
    {
        Address a = User(o.A), b = User(o.B);
        var ka = new AccountKey(a, (uint)(o.Amount % 2));
        var kb = new AccountKey(b, 0);
        long scale = 1_000_000;
        return o.Kind switch
        {
            0 or 1 => new Deposit(a, ka, o.Asset, o.Amount * scale),
            2 => new Borrow(a, ka, o.Asset, o.Amount * scale / 10),
            3 => new Transfer(a, ka, kb, o.Asset, o.Amount),
            4 => new OpenSubaccount(a, ka, o.Amount % 3 == 0 ? MarginMode.Isolated : MarginMode.Cross),
            5 => new PlaceOrder(a, ka, o.Asset % Math.Max(1, g.Markets.Count), (o.Amount % 2 == 0 ? 1 : -1) * o.Amount * 1_000_000, 0, false),
            6 => new SetOraclePrice(g.Governance, o.Asset, Math.Max(1, g.Assets[o.Asset].InitialPrice * (20 + (o.Amount % 100)) / 100)),
            7 => new FlagLiquidatable(b, ka),
            8 => new Liquidate(b, kb, ka, o.Asset, (o.Asset + 1) % g.Assets.Count, o.Amount * scale / 100),
            _ => new LiquidatePerp(b, kb, ka, 0, o.Amount * 1_000_000),
        };
    }
}
