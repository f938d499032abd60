using BenchmarkDotNet.Attributes;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Risk;

namespace Solvent.Benchmarks;

/// <summary>Health of one cross subaccount holding all five example assets (three supplied, two borrowed).</summary>
[MemoryDiagnoser]
public class HealthBenchmarks
{
    private Engine _engine = null!;
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine(BenchVenue.Genesis());
        var e = _engine;
        for (int a = 0; a < 5; a++)
        {
            e.Apply(new Deposit(BenchVenue.User(0), BenchVenue.Acct(0), a, BenchVenue.Q(e, a, 1000)));
        }

        e.Apply(new Deposit(BenchVenue.User(1), BenchVenue.Acct(1), 2, BenchVenue.Q(e, 2, 10)));
        e.Apply(new Deposit(BenchVenue.User(1), BenchVenue.Acct(1), 3, BenchVenue.Q(e, 3, 1)));
        e.Apply(new Deposit(BenchVenue.User(1), BenchVenue.Acct(1), 4, BenchVenue.Q(e, 4, 100)));
        e.Apply(new Borrow(BenchVenue.User(1), BenchVenue.Acct(1), 0, BenchVenue.Q(e, 0, 20_000)));
        e.Apply(new Borrow(BenchVenue.User(1), BenchVenue.Acct(1), 1, BenchVenue.Q(e, 1, 10_000)));
        e.AdvanceTo(e.Time + 86_400);
        _id = e.Accounts.Find(BenchVenue.Acct(1));
    }

    /// <summary>Initial and maintenance health, health factor inputs.</summary>
    [Benchmark]
    public Health HealthOfOneCrossSubaccount() => _engine.HealthOf(_id);

    /// <summary>Liquidation price of one collateral by bisection (eval/API path, not the hot path).</summary>
    [Benchmark]
    public long? LiquidationPriceOfEth() => _engine.LiquidationPriceOf(_id, 2);
}
