using BenchmarkDotNet.Attributes;
using Solvent.Cli.Bench;

namespace Solvent.Benchmarks;

/// <summary>
/// The order book of <c>solvent bench book</c>: 100,000 resting orders over 10,000 accounts; one cycle is
/// passive places and cancels that keep the book near its size and an IOC taker against the touch, with margin checks on both sides
/// of every fill. Matches are only timed inside the cycle: alone they would empty the touch and time an
/// empty book (<c>solvent bench book</c> reports their latency percentiles).
/// </summary>
[MemoryDiagnoser]
public class BookBenchmarks
{
    private BookWorkload _w = null!;

    [GlobalSetup]
    public void Setup() => _w = new BookWorkload(100_000, 10_000);

    /// <summary>Place + cancel + place or cancel (per operation).</summary>
    [Benchmark(OperationsPerInvoke = 4)]
    public void PlaceAndCancel() => _w.PlaceAndCancel();

    /// <summary>A whole cycle (per operation, five each).</summary>
    [Benchmark(OperationsPerInvoke = 5)]
    public void Cycle() => _w.Run(1, null);
}
