using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.State;
using Xunit.Abstractions;
using static Solvent.Core.Tests.OracleVenue;
using static Solvent.Core.Tests.TestVenue;

namespace Solvent.Core.Tests;

/// <summary>
/// The volatility-driven controller on the bundled oracle genesis: ETH-PERP (IMF 5% / MMF 3%, bounds
/// 5–25% / 3–10%) and the ETH asset (weights 0.805 / 0.83, bounds 0.50–0.805 / 0.70–0.83), reference
/// volatility 80%, initial margin ≤ 2%/h, maintenance ≤ 0.5%/h, a step every 300 s.
/// </summary>
public sealed class RiskControllerTests(ITestOutputHelper output)
{
    private const int EthPerp = 0;

    private static VolatilityReport[] Iv(long now, long ppm) =>
        [new(Publisher(1), ETH, ppm, now), new(Publisher(2), ETH, ppm, now), new(Publisher(3), ETH, ppm, now)];

    [Fact]
    public void Implied_volatility_spike_tightens_initial_margin_four_times_faster_than_maintenance_then_relaxes()
    {
        var o = new OracleVenue();
        BlockResult first = o.Wait(300, Iv(o.Now + 300, 1_600_000)); // IV 160% = 2 × reference → targets IMF 10%, MMF 6%
        Assert.Contains(new ImpliedVolatilityUpdated(ETH, 1_600_000), first.EndBlockEvents);
        Assert.Contains(new RiskParameterAdjusted("market", EthPerp, "initialMarginFraction", 50_000, 51_666, 1_600_000), first.EndBlockEvents);
        for (int i = 0; i < 11; i++)
        {
            o.Wait(300);
        }

        // 12 steps of ⌊2% × 300/3600⌋ = 1,666 ppm and ⌊0.5% × 300/3600⌋ = 416 ppm.
        Assert.Equal(69_992, o.Engine.Markets[EthPerp].Risk.InitialMarginFraction);
        Assert.Equal(34_992, o.Engine.Markets[EthPerp].Risk.MaintenanceMarginFraction);
        Assert.Equal(785_008, o.Engine.Pools[ETH].Risk.InitialAssetWeight);
        Assert.Equal(825_008, o.Engine.Pools[ETH].Risk.MaintenanceAssetWeight);

        // IV goes stale after an hour; realized volatility (80%) is the reference: back to the baseline.
        for (int i = 0; i < 40; i++)
        {
            o.Wait(300);
            Assert.True(o.Engine.Markets[EthPerp].Risk.InitialMarginFraction >= o.Engine.Markets[EthPerp].Risk.MaintenanceMarginFraction);
        }

        Assert.Equal(50_000, o.Engine.Markets[EthPerp].Risk.InitialMarginFraction);
        Assert.Equal(30_000, o.Engine.Markets[EthPerp].Risk.MaintenanceMarginFraction);
        Assert.Equal(805_000, o.Engine.Pools[ETH].Risk.InitialAssetWeight);
        Assert.Equal(830_000, o.Engine.Pools[ETH].Risk.MaintenanceAssetWeight);
    }

    [Fact]
    public void Maintenance_step_is_capped_so_the_least_healthy_account_stays_healthy()
    {
        var o = new OracleVenue();
        Engine e = o.Engine;
        AccountKey k = Acct(7);
        e.ImportPosition(k, MarginMode.Cross, EthPerp, 1_000_000_000, -3_000_000_000); // 1 ETH long at $3,000
        int id = e.Accounts.Find(k);
        Int128 h0 = e.MaintenanceHealthOf(id); // −90 USD (3% of 3,000)
        long usdc = (long)(((600_000 - h0) * 1_000_000) + 779_999) / 780_000; // USDC maintenance weight 0.78 → health ≈ $0.60
        e.ImportBalance(k, MarginMode.Cross, USDC, usdc);
        Int128 h = e.MaintenanceHealthOf(id);
        Assert.InRange(h, 600_000, 600_002);

        o.Wait(300, Iv(o.Now + 300, 1_600_000));
        long mmf = e.Markets[EthPerp].Risk.MaintenanceMarginFraction;
        Int128 notional = e.Pools[ETH].ValueOf(1_000_000_000, Math.Rounding.Up);
        long safe = (long)((h - 1) * 1_000_000 / notional); // ≈ 199 ppm, below the unconstrained 416
        Assert.Equal(30_000 + safe, mmf);
        Assert.True(safe < 416);
        Assert.Equal(51_666, e.Markets[EthPerp].Risk.InitialMarginFraction); // initial is not held back
        Assert.True(e.MaintenanceHealthOf(id) >= 0);
    }

    [Fact]
    public void Same_reports_give_the_same_aggregate_ewma_and_parameters_bit_for_bit()
    {
        Gen.Select(Gen.Int[1, 900], Gen.Int[800, 1250], Gen.Int[0, 31], Gen.Int[0, 3_000_000]).Array[60]
            .Sample(
                steps =>
                {
                    var a = new OracleVenue();
                    var b = new OracleVenue();

                    // A step's change is bounded by the time since the controller last ran, which is no earlier than the last change.
                    long anchor = a.Now, imf = 50_000, mmf = 30_000;
                    foreach ((int dt, int move, int mask, int iv) in steps)
                    {
                        long oldPrice = a.Price(ETH);
                        BlockResult ra = Step(a, dt, move, mask, iv);
                        BlockResult rb = Step(b, dt, move, mask, iv);
                        Assert.Equal(ra.StateRoot, rb.StateRoot);
                        Assert.Equal(a.Engine.FeedOf(ETH)!.Variance, b.Engine.FeedOf(ETH)!.Variance);

                        // Clamp mode: no aggregate moves the price more than 10%.
                        Assert.True(System.Math.Abs(a.Price(ETH) - oldPrice) <= oldPrice / 10);

                        // Controller: within bounds, within the hourly rate, initial ≥ maintenance.
                        PerpRiskParams r = a.Engine.Markets[EthPerp].Risk;
                        Assert.InRange(r.InitialMarginFraction, 50_000, 250_000);
                        Assert.InRange(r.MaintenanceMarginFraction, 30_000, 100_000);
                        Assert.True(r.InitialMarginFraction >= r.MaintenanceMarginFraction);
                        if (r.InitialMarginFraction != imf || r.MaintenanceMarginFraction != mmf)
                        {
                            long span = System.Math.Min(a.Now - anchor, 3600);
                            Assert.True(System.Math.Abs(r.InitialMarginFraction - imf) <= 20_000 * span / 3600);
                            Assert.True(System.Math.Abs(r.MaintenanceMarginFraction - mmf) <= 5_000 * span / 3600);
                            (anchor, imf, mmf) = (a.Now, r.InitialMarginFraction, r.MaintenanceMarginFraction);
                        }
                    }
                },
                iter: 40,
                threads: 1);
    }

    private static BlockResult Step(OracleVenue v, int dt, int move, int mask, int iv)
    {
        long now = v.Now + dt;
        long price = v.Price(ETH) * move / 1000;
        var actions = new List<EngineAction>();
        for (int p = 1; p <= 5; p++)
        {
            if ((mask & (1 << (p - 1))) != 0)
            {
                actions.Add(new PriceReport(Publisher(p), ETH, price + p, 0, now));
                if (iv > 0)
                {
                    actions.Add(new VolatilityReport(Publisher(p), ETH, iv, now));
                }
            }
        }

        return v.Wait(dt, [.. actions]);
    }

    /// <summary>
    /// Black Thursday: every hourly ETH candle of March 2020 replayed as four 15-minute aggregates (open,
    /// the extreme nearer the open, the other extreme, close) from five publishers, with 240 leveraged
    /// accounts. Between the price phase and the controller phase of every block, the set of liquidatable
    /// accounts may not grow.
    /// </summary>
    [Fact]
    public void March_2020_replay_raises_initial_margin_within_its_rate_and_no_step_alone_liquidates()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "scenarios", "prices", "eth-usd-1h-2020-03.csv"));
        var candles = new List<(long T, decimal O, decimal H, decimal L, decimal C)>();
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split(',');
            candles.Add((long.Parse(f[0], CultureInfo.InvariantCulture), decimal.Parse(f[1], CultureInfo.InvariantCulture), decimal.Parse(f[2], CultureInfo.InvariantCulture), decimal.Parse(f[3], CultureInfo.InvariantCulture), decimal.Parse(f[4], CultureInfo.InvariantCulture)));
        }

        // The oracle genesis, started at the first candle's open; no funding (nothing arbitrages the AMM in a price-only replay).
        JsonNode g = JsonNode.Parse(GenesisText())!;
        g["genesisTime"] = candles[0].T - 900;
        g["assets"]![ETH]!["initialPrice"] = candles[0].O.ToString(CultureInfo.InvariantCulture);
        g["perpMarkets"]![EthPerp]!["maxFundingRate"] = "0";
        g["perpMarkets"]![EthPerp]!["interestRate"] = "0";
        var engine = new Engine(GenesisLoader.Parse(g.ToJsonString()));
        var population = Population(engine, candles[0].O);

        long imfStart = engine.Markets[EthPerp].Risk.InitialMarginFraction;
        long lastImf = imfStart, lastMmf = engine.Markets[EthPerp].Risk.MaintenanceMarginFraction;
        long maxImf = 0, lastTime = engine.Time, clamped = 0;
        output.WriteLine("[table] March 2020 ETH replay (oracle genesis, 4 aggregates per hourly candle), daily at 22:00 UTC (no keepers act: the count is accounts under water):");
        output.WriteLine("[table] date        ETH close   realized vol  IMF      MMF      ETH init w  ETH maint w  liquidatable");
        foreach ((long t, decimal open, decimal high, decimal low, decimal close) in candles)
        {
            bool lowFirst = open - low <= high - open;
            decimal[] path = [open, lowFirst ? low : high, lowFirst ? high : low, close];
            for (int k = 0; k < 4; k++)
            {
                long now = t + (k * 900);
                engine.AdvanceTo(now);
                long px = (long)(path[k] * 100_000_000m);
                for (int p = 1; p <= 5; p++)
                {
                    Assert.True(engine.Apply(new PriceReport(Publisher(p), ETH, px + ((p - 3) * px / 10_000), 0, now)).Ok);
                }

                clamped += engine.AggregateOracles().Count(ev => ev is OraclePriceClamped);
                HashSet<int> before = Liquidatable(engine, population);
                engine.RunRiskControllers();
                HashSet<int> after = Liquidatable(engine, population);
                Assert.True(after.IsSubsetOf(before), $"a parameter step alone made {after.Except(before).Count()} accounts liquidatable at {now}");

                long imf = engine.Markets[EthPerp].Risk.InitialMarginFraction;
                long mmf = engine.Markets[EthPerp].Risk.MaintenanceMarginFraction;
                long dt = System.Math.Min(now - lastTime, 3600);
                Assert.True(System.Math.Abs(imf - lastImf) <= 20_000 * dt / 3600, $"IMF moved {imf - lastImf} ppm in {dt} s");
                Assert.True(System.Math.Abs(mmf - lastMmf) <= 5_000 * dt / 3600, $"MMF moved {mmf - lastMmf} ppm in {dt} s");
                Assert.InRange(imf, 50_000, 250_000);
                Assert.InRange(mmf, 30_000, 100_000);
                (lastImf, lastMmf, lastTime) = (imf, mmf, now);
                if (t >= 1583971200 && t < 1584144000)
                {
                    maxImf = System.Math.Max(maxImf, imf); // 12–13 March
                }
            }

            if (t % 86_400 == 79_200)
            {
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[table] {DateTimeOffset.FromUnixTimeSeconds(t):yyyy-MM-dd}  {close,9:F2}  {engine.FeedOf(ETH)!.RealizedVolatility / 1e4,10:F1}%  {lastImf / 1e4,6:F2}%  {lastMmf / 1e4,6:F2}%  {engine.Pools[ETH].Risk.InitialAssetWeight / 1e6,10:F4}  {engine.Pools[ETH].Risk.MaintenanceAssetWeight / 1e6,11:F4}  {Liquidatable(engine, population).Count,12}"));
            }
        }

        output.WriteLine($"[table] IMF {imfStart / 1e4:F2}% on 1 March → peak {maxImf / 1e4:F2}% on 12–13 March; {clamped} aggregates clamped at the 10% bound");
        Assert.True(maxImf >= 2 * imfStart, $"IMF peaked at {maxImf} ppm during the crash");
    }

    private static List<int> Population(Engine e, decimal price)
    {
        var ids = new List<int>();
        long px = (long)(price * 100_000_000m);
        for (int i = 0; i < 240; i++)
        {
            AccountKey k = Acct(100 + i);
            long lev = 2 + (i % 15); // 2× … 16×
            if (i % 3 == 2)
            {
                // ETH collateral borrowing USDC at 30–78% LTV.
                long eth = 10_000_000_000; // 10 ETH
                e.ImportBalance(k, MarginMode.Cross, ETH, eth);
                long value = 10 * px / 100; // USDC quantums (1e-6) of 10 ETH at px (1e-8 USD)
                e.ImportBalance(k, MarginMode.Cross, USDC, -value * (30 + (i % 49)) / 100);
            }
            else
            {
                long size = (i % 2 == 0 ? 1 : -1) * 5_000_000_000L; // ±5 ETH
                long notional = 5 * px / 100; // USDC quantums
                e.ImportBalance(k, MarginMode.Cross, USDC, notional / lev);
                e.ImportPosition(k, MarginMode.Cross, EthPerp, size, -System.Math.Sign(size) * notional);
            }

            ids.Add(e.Accounts.Find(k));
        }

        return ids;
    }

    private static HashSet<int> Liquidatable(Engine e, List<int> ids)
    {
        var set = new HashSet<int>();
        foreach (int id in ids)
        {
            if (e.MaintenanceHealthOf(id) < 0)
            {
                set.Add(id);
            }
        }

        return set;
    }
}
