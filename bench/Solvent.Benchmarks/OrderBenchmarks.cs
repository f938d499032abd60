using BenchmarkDotNet.Attributes;
using Solvent.Core;
using Solvent.Core.Actions;

namespace Solvent.Benchmarks;

/// <summary>
/// <c>Engine.Apply</c> on the order pair <c>solvent bench</c> times: a 0.01 ETH long opened, then closed
/// (a reducing order whose loss settles into a USDC debt), across 1,000 subaccounts that hold ETH and owe
/// USDC, so neither order is decided by signs alone. <see cref="ExactChecksOnly"/> = true turns the
/// fixed-point shortcuts off: the pair's cost with and without them, in one binary.
/// </summary>
[MemoryDiagnoser]
public class OrderBenchmarks
{
    private const int Accounts = 1000;
    private Engine _engine = null!;
    private EngineAction[] _pair = null!;
    private int _next;

    /// <summary>Whether the engine takes only the exact checks.</summary>
    [Params(false, true)]
    public bool ExactChecksOnly { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var e = new Engine(BenchVenue.Genesis());
        e.Apply(new Deposit(BenchVenue.User(100_000), BenchVenue.Acct(100_000), 0, BenchVenue.Q(e, 0, 1_000_000_000)));
        var pair = new List<EngineAction>();
        for (int i = 0; i < Accounts; i++)
        {
            e.Apply(new Deposit(BenchVenue.User(i), BenchVenue.Acct(i), 2, BenchVenue.Q(e, 2, 30)));
            e.Apply(new Borrow(BenchVenue.User(i), BenchVenue.Acct(i), 0, BenchVenue.Q(e, 0, 2_000)));
            pair.Add(new PlaceOrder(BenchVenue.User(i), BenchVenue.Acct(i), 0, 10_000_000, 0, false));
            pair.Add(new PlaceOrder(BenchVenue.User(i), BenchVenue.Acct(i), 0, -10_000_000, 0, false));
        }

        // A day of interest, so indexes are not the trivial 1.0.
        e.AdvanceTo(e.Time + 86_400);
        e.ExactChecksOnly = ExactChecksOnly;
        _engine = e;
        _pair = [.. pair];
    }

    /// <summary>One order of the open/close pair (amortized over both).</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public int PlaceOrderPair()
    {
        int ok = 0;
        for (int k = 0; k < 2; k++)
        {
            if (_engine.Apply(_pair[_next]).Ok)
            {
                ok++;
            }

            _next = (_next + 1) % _pair.Length;
        }

        return ok;
    }
}
