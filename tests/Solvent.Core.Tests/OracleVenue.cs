using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Core.Tests;

/// <summary>The bundled oracle genesis (ETH and WBTC fed by five publishers, quorum 3) driven block by block.</summary>
internal sealed class OracleVenue
{
    public OracleVenue(Genesis? genesis = null)
    {
        V = new TestVenue(genesis ?? OracleGenesis());
        Now = V.Genesis.GenesisTime;
    }

    public TestVenue V { get; }

    public Engine Engine => V.Engine;

    public long Now { get; private set; }

    public static Address Publisher(int i) => Address.Parse($"0x00000000000000000000000000000000000000b{i}");

    public static string GenesisText() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.oracle.json"));

    public static Genesis OracleGenesis() => GenesisLoader.Parse(GenesisText());

    /// <summary>One report per given publisher (1-based) at the block time, all in one block <paramref name="dt"/> seconds later.</summary>
    public BlockResult Reports(long dt, int asset, params (int Publisher, string Price)[] reports)
    {
        Now += dt;
        var actions = new List<EngineAction>();
        foreach ((int pub, string price) in reports)
        {
            actions.Add(new PriceReport(Publisher(pub), asset, TestVenue.Px(price), 0, Now));
        }

        BlockResult r = V.Block(Now, [.. actions]);
        foreach (ActionResult a in r.Results)
        {
            Assert.True(a.Ok, a.CodeName + " " + a.Message);
        }

        return r;
    }

    /// <summary>All five publishers report the same price.</summary>
    public BlockResult All(long dt, int asset, string price) =>
        Reports(dt, asset, (1, price), (2, price), (3, price), (4, price), (5, price));

    /// <summary>An empty block <paramref name="dt"/> seconds later.</summary>
    public BlockResult Wait(long dt, params EngineAction[] actions)
    {
        Now += dt;
        return V.Block(Now, actions);
    }

    public long Price(int asset) => Engine.Pools[asset].Price;
}
