using BenchmarkDotNet.Attributes;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;

namespace Solvent.Benchmarks;

/// <summary>
/// Oracle and risk-controller work per block on the oracle genesis (ETH and WBTC fed by five publishers;
/// controllers on ETH-PERP and the ETH asset, a step every 300 s).
/// </summary>
[MemoryDiagnoser]
public class OracleBenchmarks
{
    private static readonly Address[] Publishers =
    [
        Address.Parse("0x00000000000000000000000000000000000000b1"), Address.Parse("0x00000000000000000000000000000000000000b2"),
        Address.Parse("0x00000000000000000000000000000000000000b3"), Address.Parse("0x00000000000000000000000000000000000000b4"),
        Address.Parse("0x00000000000000000000000000000000000000b5"),
    ];

    private Engine _engine = null!;
    private PriceReport[] _reports = [];
    private RiskControllerConfig _perpController = null!;
    private long _now;
    private long _tick;

    /// <summary>Subaccounts holding an ETH-PERP position (what the maintenance safety scan walks).</summary>
    [Params(1_000, 100_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine(BenchVenue.Genesis("genesis.oracle.json"));
        _perpController = _engine.Genesis.RiskControllers[0];
        for (int i = 0; i < Accounts; i++)
        {
            AccountKey k = BenchVenue.Acct(i);
            _engine.ImportBalance(k, MarginMode.Cross, 0, 500_000_000); // 500 USDC
            _engine.ImportPosition(k, MarginMode.Cross, 0, (i % 2 == 0 ? 1 : -1) * 1_000_000_000L, (i % 2 == 0 ? -1 : 1) * 3_000_000_000L);
        }

        _now = _engine.Time;
        _reports = new PriceReport[5];
    }

    /// <summary>
    /// One block's oracle work for one feed: time advances 300 s (accruing every pool and market), five
    /// publishers report ETH, the feed aggregates (median, bound, TWAP, EWMA, stable price) and both
    /// controllers step (steady state: parameters at target, so no safety scan).
    /// </summary>
    [Benchmark]
    public int OracleBlockOneFeed()
    {
        _now += 300;
        _engine.AdvanceTo(_now);
        long price = 300_000_000_000 + ((++_tick & 7) * 100_000_000);
        for (int p = 0; p < 5; p++)
        {
            _engine.Apply(new PriceReport(Publishers[p], 2, price + p, 0, _now));
        }

        return _engine.EndBlock().Count;
    }

    /// <summary>The maintenance safety scan a tightening step runs: the largest increase every healthy position absorbs.</summary>
    [Benchmark]
    public long MaintenanceSafetyScan() => _engine.SafeMaintenanceIncrease(_perpController);
}
