using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Tests;

/// <summary>Builds engines from the bundled example genesis and drives them block by block.</summary>
internal sealed class TestVenue
{
    public const int USDC = 0, USDT = 1, ETH = 2, WBTC = 3, SOL = 4;

    public static readonly Address Gov = Address.Parse("0x00000000000000000000000000000000000000a1");

    public TestVenue(Genesis? genesis = null)
    {
        Genesis = genesis ?? ExampleGenesis();
        Engine = new Engine(Genesis);
    }

    public Genesis Genesis { get; }

    public Engine Engine { get; }

    public static Genesis ExampleGenesis() =>
        GenesisLoader.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", "genesis.example.json")));

    public static Address User(int n) => new(0x1000UL + (ulong)n, 0, (uint)n);

    public static AccountKey Acct(int n, uint sub = 0) => new(User(n), sub);

    /// <summary>Quantums of a human amount of an asset.</summary>
    public long Q(int asset, string human)
    {
        Assert.True(DecimalString.TryParseLong(human, Genesis.Assets[asset].QuantumDecimals, out long v, out string err), err);
        return v;
    }

    public static long Px(string human)
    {
        Assert.True(DecimalString.TryParseLong(human, Precision.PriceDecimals, out long v, out string err), err);
        return v;
    }

    public ActionResult Do(EngineAction a) => Engine.Apply(a);

    public ActionResult MustDo(EngineAction a)
    {
        ActionResult r = Engine.Apply(a);
        Assert.True(r.Ok, $"{a} rejected: {r.CodeName} {r.Message}");
        return r;
    }

    public void Deposit(int user, int asset, string amount, uint sub = 0) =>
        MustDo(new Deposit(User(user), Acct(user, sub), asset, Q(asset, amount)));

    public void Borrow(int user, int asset, string amount, uint sub = 0) =>
        MustDo(new Borrow(User(user), Acct(user, sub), asset, Q(asset, amount)));

    public void Price(int asset, string price) => MustDo(new SetOraclePrice(Gov, asset, Px(price)));

    public BlockResult Block(long time, params EngineAction[] actions) =>
        Engine.Apply(new Block(new BlockHeader(Engine.Height + 1, time, Engine.LastRoot), actions));

    public long Balance(int user, int asset, uint sub = 0)
    {
        int id = Engine.Accounts.Find(Acct(user, sub));
        return id < 0 ? 0 : Engine.Pools[asset].AmountOf(Engine.Accounts.Scaled(id, asset));
    }

    public Risk.Health Health(int user, uint sub = 0) => Engine.HealthOf(Engine.Accounts.Find(Acct(user, sub)));

    /// <summary>A genesis with the given assets' risk parameters replaced.</summary>
    public static Genesis With(Genesis g, int asset, Func<AssetRiskParams, AssetRiskParams> change)
    {
        var risk = g.Risk.ToArray();
        risk[asset] = change(risk[asset]);
        return g with { Risk = risk };
    }
}
