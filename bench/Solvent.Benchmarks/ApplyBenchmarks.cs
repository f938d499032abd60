using BenchmarkDotNet.Attributes;
using Solvent.Core;
using Solvent.Core.Actions;

namespace Solvent.Benchmarks;

/// <summary>
/// <c>Engine.Apply</c> on a deposit / borrow / repay / withdraw cycle across 1,000 accounts: each
/// action validates, checks health where the rules ask, writes, and emits its events.
/// </summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private const int Accounts = 1000;
    private Engine _engine = null!;
    private EngineAction[] _cycle = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine(BenchVenue.Genesis());
        var e = _engine;
        e.Apply(new Deposit(BenchVenue.User(100_000), BenchVenue.Acct(100_000), 0, BenchVenue.Q(e, 0, 1_000_000_000)));
        var cycle = new List<EngineAction>();
        for (int i = 0; i < Accounts; i++)
        {
            e.Apply(new Deposit(BenchVenue.User(i), BenchVenue.Acct(i), 2, BenchVenue.Q(e, 2, 10)));
            cycle.Add(new Deposit(BenchVenue.User(i), BenchVenue.Acct(i), 2, BenchVenue.Q(e, 2, 1)));
            cycle.Add(new Borrow(BenchVenue.User(i), BenchVenue.Acct(i), 0, BenchVenue.Q(e, 0, 5_000)));
            cycle.Add(new Repay(BenchVenue.User(i), BenchVenue.Acct(i), 0, BenchVenue.Q(e, 0, 5_000)));
            cycle.Add(new Withdraw(BenchVenue.User(i), BenchVenue.Acct(i), 2, BenchVenue.Q(e, 2, 1)));
        }

        _cycle = [.. cycle];
    }

    /// <summary>One action of the mix (amortized over 4 kinds).</summary>
    [Benchmark(OperationsPerInvoke = 4)]
    public int ApplyMixedAction()
    {
        int ok = 0;
        for (int k = 0; k < 4; k++)
        {
            if (_engine.Apply(_cycle[_next]).Ok)
            {
                ok++;
            }

            _next = (_next + 1) % _cycle.Length;
        }

        return ok;
    }
}
