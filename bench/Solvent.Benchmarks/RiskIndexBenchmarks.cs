using BenchmarkDotNet.Attributes;
using Solvent.Cli.Bench;
using Solvent.Core;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Benchmarks;

/// <summary>The liquidation index's hot functions on a 100,000-subaccount synthetic book.</summary>
[MemoryDiagnoser]
public class RiskIndexBenchmarks
{
    private Engine _engine = null!;
    private RiskIndex _index = null!;
    private FastScan _scan = null!;
    private AccountKey _someone;
    private int _tick;

    [GlobalSetup]
    public void Setup()
    {
        string genesis = Solvent.Cli.Commands.BenchCommand.DefaultGenesis();
        _engine = new Engine(SyntheticBook.Genesis(genesis));
        SyntheticBook.Populate(_engine, 100_000, 1);
        _index = new RiskIndex(_engine);
        _index.Tick();
        _scan = new FastScan(_engine);
        _someone = new AccountKey(SyntheticBook.User(4242), 0);
    }

    /// <summary>A 1% move of one feed (alternately down and back) and the complete liquidatable set.</summary>
    [Benchmark]
    public int TickAfterOnePercentMove()
    {
        long p = _engine.Pools[2].Price;
        _engine.ImportPrice(2, _tick++ % 2 == 0 ? p - (p / 100) : p * 100 / 99);
        return _index.Tick().Count;
    }

    /// <summary>One account changed (a small deposit) and re-placed in the index.</summary>
    [Benchmark]
    public int IndexUpdateOfOneAccount()
    {
        _engine.ImportBalance(_someone, MarginMode.Cross, 0, 1);
        return _index.Tick().Count;
    }

    /// <summary>Exact liquidatable classification of one account on the scan path.</summary>
    [Benchmark]
    public bool ScanClassifyOneAccount() => _scan.IsLiquidatable(_tick++ % 100_000 + 6);
}
