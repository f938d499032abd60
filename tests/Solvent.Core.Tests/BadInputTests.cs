using Solvent.Core.Actions;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>Every rejection has its own code, and a rejected action leaves the state root unchanged.</summary>
public class BadInputTests
{
    private static TestVenue Book()
    {
        var g = With(ExampleGenesis(), USDT, r => r with { SupplyCap = 0, BorrowCap = 0 });
        g = With(g, USDC, r => r with { BorrowCap = 50_000_000_000 });
        var v = new TestVenue(g);
        v.Deposit(1, USDC, "100000");
        v.Deposit(2, ETH, "10");
        v.Borrow(2, USDC, "20000");
        v.Deposit(3, USDC, "5000");
        return v;
    }

    public static TheoryData<string, ErrorCode> Cases => new()
    {
        { "unknown asset", ErrorCode.UnknownAsset },
        { "zero amount", ErrorCode.InvalidAmount },
        { "negative amount", ErrorCode.InvalidAmount },
        { "overflow-sized amount", ErrorCode.Overflow },
        { "withdrawal breaking initial health", ErrorCode.InitialHealthViolated },
        { "liquidating a healthy account", ErrorCode.NotLiquidatable },
        { "self-liquidation", ErrorCode.SelfLiquidation },
        { "withdraw by a stranger", ErrorCode.Unauthorized },
        { "withdraw more than supplied", ErrorCode.InsufficientBalance },
        { "borrow beyond pool cash", ErrorCode.InsufficientLiquidity },
        { "borrow above the cap", ErrorCode.BorrowCapExceeded },
        { "repay more than owed", ErrorCode.RepayExceedsDebt },
        { "price by non-governance", ErrorCode.Unauthorized },
        { "non-positive price", ErrorCode.InvalidPrice },
        { "transfer to itself", ErrorCode.SameAccount },
    };

    private static EngineAction Build(TestVenue v, string name) => name switch
    {
        "unknown asset" => new Deposit(User(1), Acct(1), 99, 1),
        "zero amount" => new Deposit(User(1), Acct(1), USDC, 0),
        "negative amount" => new Withdraw(User(1), Acct(1), USDC, -5),
        "overflow-sized amount" => new Deposit(User(4), Acct(4), USDT, long.MaxValue),
        "withdrawal breaking initial health" => new Withdraw(User(2), Acct(2), ETH, v.Q(ETH, "9")),
        "liquidating a healthy account" => new Liquidate(User(3), Acct(3), Acct(2), USDC, ETH, v.Q(USDC, "100")),
        "self-liquidation" => new Liquidate(User(2), Acct(2, 1), Acct(2), USDC, ETH, v.Q(USDC, "100")),
        "withdraw by a stranger" => new Withdraw(User(3), Acct(1), USDC, 1),
        "withdraw more than supplied" => new Withdraw(User(3), Acct(3), USDC, v.Q(USDC, "5000.000001")),
        "borrow beyond pool cash" => new Borrow(User(2), Acct(2), USDC, v.Q(USDC, "86000")),
        "borrow above the cap" => new Borrow(User(2), Acct(2), USDC, v.Q(USDC, "40000")),
        "repay more than owed" => new Repay(User(2), Acct(2), USDC, v.Q(USDC, "20001")),
        "price by non-governance" => new SetOraclePrice(User(2), ETH, Px("1")),
        "non-positive price" => new SetOraclePrice(Gov, ETH, 0),
        "transfer to itself" => new Transfer(User(1), Acct(1), Acct(1), USDC, 1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejected_with_its_code_and_nothing_changes(string name, ErrorCode expected)
    {
        var v = Book();
        if (name == "overflow-sized amount")
        {
            v.MustDo(new Deposit(User(4), Acct(4), USDT, long.MaxValue / 2 + 1));
        }

        byte[] root = v.Engine.ComputeStateRoot();
        int accounts = v.Engine.Accounts.Count;
        ActionResult r = v.Do(Build(v, name));
        Assert.Equal(expected, r.Code);
        Assert.False(string.IsNullOrWhiteSpace(r.Message));
        Assert.Equal(root, v.Engine.ComputeStateRoot());
        Assert.Equal(accounts, v.Engine.Accounts.Count);
    }

    [Fact]
    public void The_six_named_failures_have_six_distinct_codes()
    {
        string[] named = ["unknown asset", "zero amount", "overflow-sized amount", "withdrawal breaking initial health", "liquidating a healthy account", "self-liquidation"];
        var codes = Cases.Where(c => named.Contains((string)c[0])).Select(c => (ErrorCode)c[1]).Distinct().Count();
        Assert.Equal(6, codes);
        Assert.Equal("INITIAL_HEALTH_VIOLATED", ErrorCodes.Name(ErrorCode.InitialHealthViolated));
    }

    [Fact]
    public void A_paused_asset_blocks_supply_and_borrow_but_not_repay_or_withdraw()
    {
        var v = Book();
        var risk = v.Engine.Pools[USDC].Risk with { Paused = true };
        v.MustDo(new UpdateAssetRisk(Gov, USDC, risk));
        Assert.Equal(ErrorCode.AssetPaused, v.Do(new Deposit(User(5), Acct(5), USDC, 10)).Code);
        Assert.Equal(ErrorCode.AssetPaused, v.Do(new Borrow(User(2), Acct(2), USDC, 10)).Code);
        v.MustDo(new Repay(User(2), Acct(2), USDC, v.Q(USDC, "100")));
        v.MustDo(new Withdraw(User(3), Acct(3), USDC, v.Q(USDC, "100")));
    }

    [Fact]
    public void An_isolated_subaccount_carries_one_borrowed_asset()
    {
        var v = Book();
        v.Deposit(6, USDT, "100000");
        v.MustDo(new OpenSubaccount(User(2), Acct(2, 7), State.MarginMode.Isolated));
        v.Deposit(2, ETH, "5", sub: 7);
        v.Borrow(2, USDC, "1000", sub: 7);
        var r = v.Do(new Borrow(User(2), Acct(2, 7), USDT, v.Q(USDT, "1000")));
        Assert.Equal(ErrorCode.IsolatedExposureLimit, r.Code);
    }

    [Fact]
    public void A_block_that_does_not_follow_the_chain_is_refused()
    {
        var v = Book();
        v.Block(v.Genesis.GenesisTime + 10);
        Assert.Throws<Blocks.InvalidBlockException>(() =>
            v.Engine.Apply(new Blocks.Block(new Blocks.BlockHeader(v.Engine.Height + 2, v.Engine.Time + 1, v.Engine.LastRoot), [])));
        Assert.Throws<Blocks.InvalidBlockException>(() =>
            v.Engine.Apply(new Blocks.Block(new Blocks.BlockHeader(v.Engine.Height + 1, v.Engine.Time - 1, v.Engine.LastRoot), [])));
        Assert.Throws<Blocks.InvalidBlockException>(() =>
            v.Engine.Apply(new Blocks.Block(new Blocks.BlockHeader(v.Engine.Height + 1, v.Engine.Time + 1, new byte[32]), [])));
    }
}
