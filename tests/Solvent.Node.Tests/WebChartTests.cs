using System.Text.Json;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.Eval;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Sequencing;
using Solvent.Node.Views;
using Solvent.Node.Web;

namespace Solvent.Node.Tests;

public class WebChartTests
{
    [Fact]
    public async Task The_heatmap_equals_a_brute_force_count_on_a_private_copy_and_leaves_the_state_root()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        await SeedBookAsync(n);
        string root = await n.StateRootAsync();

        // The node may cut blocks meanwhile; compare against a snapshot of the same height.
        JsonElement map = default;
        byte[] snapshot = [];
        for (int attempt = 0; attempt < 20; attempt++)
        {
            map = await n.GetJsonAsync("/v1/web/charts/liquidation-heatmap?format=json&max=40");
            (snapshot, long height) = await n.Node.Sequencer.QueryChainAsync(c => (c.Engine.SaveSnapshot(), c.Engine.Height));
            if (height == map.GetProperty("height").GetInt64())
            {
                break;
            }
        }

        int[] moves = [.. map.GetProperty("moves").EnumerateArray().Select(m => m.GetInt32())];
        Assert.Equal(Enumerable.Range(-40, 81), moves);
        string[] assets = [.. map.GetProperty("assets").EnumerateArray().Select(a => a.GetString()!)];
        Assert.Equal(n.Genesis.Assets.Select(a => a.Symbol), assets);

        Engine live = Engine.RestoreSnapshot(n.Genesis, snapshot);
        int nonZero = 0;
        for (int a = 0; a < assets.Length; a++)
        {
            Engine copy = Engine.RestoreSnapshot(n.Genesis, snapshot);
            long p0 = copy.Pools[a].Price;
            for (int j = 0; j < moves.Length; j++)
            {
                copy.ImportPrice(a, (long)Int128.Max(1, (Int128)p0 * (100 + moves[j]) / 100));
                int count = 0;
                Int128 value = 0;
                for (int id = 0; id < copy.Accounts.Count; id++)
                {
                    if (!copy.IsProtocolAccount(id) && EvalReport.TryHealth(live, id, out Health now) && copy.HealthOf(id).IsLiquidatable)
                    {
                        count++;
                        value += now.CollateralValue;
                    }
                }

                nonZero += count > 0 ? 1 : 0;
                Assert.True(count == map.GetProperty("accounts")[a][j].GetInt32(), $"{assets[a]} {moves[j]}%: brute force {count}, heatmap {map.GetProperty("accounts")[a][j]}");
                Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), map.GetProperty("valueUsd")[a][j].GetProperty("raw").GetString());
            }
        }

        // The seeded book liquidates progressively as ETH falls, and a short is liquidated as ETH rises.
        int eth = n.Asset("ETH");
        int[] ethCounts = [.. map.GetProperty("accounts")[eth].EnumerateArray().Select(c => c.GetInt32())];
        Assert.Equal(0, ethCounts[40]);
        Assert.True(ethCounts[0] >= 3, string.Join(",", ethCounts));
        Assert.True(ethCounts.Take(40).Distinct().Count() >= 3, string.Join(",", ethCounts));
        Assert.True(ethCounts[^1] >= 1, string.Join(",", ethCounts));
        Assert.True(nonZero > 0);
        Assert.Equal(root, await n.StateRootAsync());

        using HttpResponseMessage svg = await n.Http.GetAsync("/v1/web/charts/liquidation-heatmap");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        string text = await svg.Content.ReadAsStringAsync();
        Assert.Contains("<svg", text, StringComparison.Ordinal);
        Assert.Contains("ETH", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_curve_points_are_the_pools_own_rate_model()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        await SeedBookAsync(n);
        string root = await n.StateRootAsync();
        foreach (AssetConfig cfg in n.Genesis.Assets)
        {
            int a = n.Asset(cfg.Symbol);
            JsonElement curve = await n.GetJsonAsync($"/v1/web/charts/rate-curve/{cfg.Symbol}?format=json");
            JsonElement[] points = [.. curve.GetProperty("points").EnumerateArray()];
            Assert.Equal(101, points.Length);
            (IRateModel model, long reserve) = await n.Node.Sequencer.QueryAsync(e => (e.Pools[a].Risk.RateModel, e.Pools[a].Risk.ReserveFactor));
            for (int i = 0; i <= 100; i++)
            {
                UInt128 u = Precision.Ray * (uint)i / 100;
                UInt128 borrow = model.BorrowRate(u);
                // Supply earns borrow × utilization less the reserve factor, each step rounded down.
                var supply = (System.Numerics.BigInteger)borrow * u / (System.Numerics.BigInteger)Precision.Ray * (Precision.Ppm - reserve) / Precision.Ppm;
                Assert.Equal(u.ToString(), points[i].GetProperty("utilizationRay").GetString());
                Assert.Equal(borrow.ToString(), points[i].GetProperty("borrowRay").GetString());
                Assert.Equal(supply.ToString(), points[i].GetProperty("supplyRay").GetString());
            }

            // Rates rise with utilization, and the curve is not flat.
            Assert.True(UInt128.Parse(points[100].GetProperty("borrowRay").GetString()!) > UInt128.Parse(points[0].GetProperty("borrowRay").GetString()!));
            JsonElement view = (await n.GetJsonAsync("/v1/assets")).EnumerateArray().Single(x => x.GetProperty("symbol").GetString() == cfg.Symbol);
            Assert.Equal(decimal.Parse(view.GetProperty("utilization").GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture), (decimal)curve.GetProperty("utilization").GetDouble(), 6);
        }

        double usdcU = (await n.GetJsonAsync("/v1/web/charts/rate-curve/USDC?format=json")).GetProperty("utilization").GetDouble();
        Assert.True(usdcU > 0, "the seeded borrows use the USDC pool");
        using HttpResponseMessage svg = await n.Http.GetAsync("/v1/web/charts/rate-curve/USDC");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Contains("utilization", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(root, await n.StateRootAsync());
    }

    [Fact]
    public void The_insurance_history_keeps_the_last_blocks_only()
    {
        var h = new InsuranceHistory(3);
        for (long height = 1; height <= 5; height++)
        {
            h.Record(Notice(height, insurance: height * 10));
        }

        InsurancePoint[] points = h.Points();
        Assert.Equal([3L, 4L, 5L], points.Select(p => p.Height));
        Assert.Equal([30L, 40L, 50L], points.Select(p => p.PoolInsurance[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InsuranceHistory(0));
        Assert.Contains("<svg", WebCharts.Insurance([], ["USDC"], [], [1], 0, 1), StringComparison.Ordinal);
        Assert.Contains("<svg", WebCharts.Insurance(points, ["USDC"], [], [1], 0, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_insurance_history_grows_with_every_block_and_matches_the_pools()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("alice");
        using (HttpResponseMessage early = await n.Http.GetAsync("/v1/web/charts/insurance"))
        {
            // Drawn even before the first block of this process (an empty history).
            Assert.Equal(200, (int)early.StatusCode);
        }

        JsonElement first = await n.GetJsonAsync("/v1/web/charts/insurance?format=json");
        int before = first.GetProperty("points").GetArrayLength();
        Assert.Equal(InsuranceHistory.DefaultCapacity, first.GetProperty("capacity").GetInt32());
        for (ulong i = 0; i < 3; i++)
        {
            using HttpResponseMessage r = await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000), i);
            Assert.True(r.IsSuccessStatusCode);
        }

        // The history is recorded right after the block's answers go out.
        long head = (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64();
        JsonElement after = await Eventually(n, "/v1/web/charts/insurance?format=json", j => j.GetProperty("points")[j.GetProperty("points").GetArrayLength() - 1].GetProperty("height").GetInt64() >= head);
        JsonElement[] points = [.. after.GetProperty("points").EnumerateArray()];
        Assert.True(points.Length >= before + 3, $"{before} -> {points.Length}");
        long[] heights = [.. points.Select(p => p.GetProperty("height").GetInt64())];
        Assert.Equal(heights.Order(), heights);
        Assert.Equal(heights.Length, heights.Distinct().Count());
        JsonElement[] assets = [.. (await n.GetJsonAsync("/v1/assets")).EnumerateArray()];
        JsonElement last = points[^1];
        for (int a = 0; a < assets.Length; a++)
        {
            Assert.Equal(assets[a].GetProperty("insurance").GetProperty("raw").GetString(), last.GetProperty("pools")[a].GetProperty("raw").GetString());
        }

        using HttpResponseMessage svg = await n.Http.GetAsync("/v1/web/charts/insurance");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_liquidation_is_listed_newest_first_and_adl_is_a_separate_list()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        (ActionSigner bob, ActionSigner[] borrowers) = await SeedBookAsync(n);
        ActionSigner gov = n.Node.Dev!.Governance;
        int eth = n.Asset("ETH"), usdc = n.Asset("USDC");
        ulong govNonce = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{gov.Address}")).GetProperty("nextNonce").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        using (HttpResponseMessage drop = await n.SubmitAsync(gov, new SetOraclePrice(gov.Address, eth, 2_000_00000000), govNonce))
        {
            Assert.True(drop.IsSuccessStatusCode, await drop.Content.ReadAsStringAsync());
        }

        ulong bobNonce = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{bob.Address}")).GetProperty("nextNonce").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var target = new AccountKey(borrowers[0].Address, 0);
        using (HttpResponseMessage liq = await n.SubmitAsync(bob, new Liquidate(bob.Address, new AccountKey(bob.Address, 0), target, usdc, eth, 1_000_000_000), bobNonce))
        {
            string body = await liq.Content.ReadAsStringAsync();
            Assert.True(liq.IsSuccessStatusCode && body.Contains("\"OK\"", StringComparison.Ordinal), body);
        }

        JsonElement list = await Eventually(n, "/v1/web/events?kind=liquidation&limit=5", j => j.GetProperty("events").GetArrayLength() > 0);
        JsonElement e = list.GetProperty("events")[0];
        Assert.Equal("liquidation", e.GetProperty("kind").GetString());
        Assert.Equal("Liquidated", e.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(target.Owner.ToString(), e.GetProperty("event").GetProperty("target").GetProperty("owner").GetString());
        Assert.StartsWith("repaid 1000 USDC, seized ", e.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(" ETH", e.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await n.GetJsonAsync("/v1/web/events?kind=adl")).GetProperty("events").GetArrayLength());
    }

    [Fact]
    public void Recent_events_keep_each_kind_bounded_and_newest_first()
    {
        var ring = new RecentEvents(2);
        var k = new AccountKey(default, 0);
        for (long h = 1; h <= 4; h++)
        {
            ring.Record(Notice(h, 0, new Liquidated(k, k, 0, h, 1, h, h, 0), new AutoDeleveraged(k, k, 0, h, h), new Deposited(k, 0, h, 0)));
        }

        Assert.Equal([4L, 3L], ring.Latest(RecentEvents.Liquidation, 10).Select(e => e.Height));
        Assert.Equal([4L], ring.Latest(RecentEvents.Adl, 1).Select(e => e.Height));
        Assert.All(ring.Latest(RecentEvents.Adl, 10), e => Assert.IsType<AutoDeleveraged>(e.Event));
    }

    [Fact]
    public async Task The_oracle_panel_shows_governance_prices_and_publisher_feeds()
    {
        await using (TestNode n = await TestNode.StartAsync(dev: true))
        {
            JsonElement feeds = (await n.GetJsonAsync("/v1/web/oracles")).GetProperty("feeds");
            Assert.Equal(n.Genesis.Assets.Count, feeds.GetArrayLength());
            Assert.All(feeds.EnumerateArray(), f => Assert.Equal("governance", f.GetProperty("source").GetString()));
            Assert.Equal("3000", feeds[n.Asset("ETH")].GetProperty("price").GetProperty("value").GetString());
        }

        string genesis = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "scenarios", "genesis.oracle.json");
        await using TestNode o = await TestNode.StartAsync(genesisFile: Path.GetFullPath(genesis));
        JsonElement[] fed = [.. (await o.GetJsonAsync("/v1/web/oracles")).GetProperty("feeds").EnumerateArray().Where(f => f.GetProperty("source").GetString() == "oracle")];
        Assert.NotEmpty(fed);
        foreach (JsonElement f in fed)
        {
            int asset = o.Asset(f.GetProperty("asset").GetString()!);
            OracleFeedConfig cfg = o.Genesis.Oracles.Single(x => x.Asset == asset);
            Assert.Equal(cfg.Quorum, f.GetProperty("quorum").GetInt32());
            Assert.Equal(cfg.Publishers.Select(p => p.ToString()), f.GetProperty("publishers").EnumerateArray().Select(p => p.GetProperty("address").GetString()));
        }
    }

    [Theory]
    [InlineData("/v1/web/charts/rate-curve/DOGE", "UNKNOWN_ASSET")]
    [InlineData("/v1/web/charts/rate-curve/USDC?format=png", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/rate-curve/BTC-PERP?format=json", "UNKNOWN_ASSET")]
    [InlineData("/v1/web/charts/liquidation-heatmap?max=0", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/liquidation-heatmap?max=-5", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/liquidation-heatmap?max=100", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/liquidation-heatmap?max=99999999999999999999", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/liquidation-heatmap?max=1.5", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/liquidation-heatmap?format=JSON", "BAD_REQUEST")]
    [InlineData("/v1/web/charts/insurance?format=", "BAD_REQUEST")]
    [InlineData("/v1/web/events", "BAD_REQUEST")]
    [InlineData("/v1/web/events?kind=deposit", "BAD_REQUEST")]
    [InlineData("/v1/web/events?kind=adl&limit=0", "BAD_REQUEST")]
    [InlineData("/v1/web/events?kind=adl&limit=-1", "BAD_REQUEST")]
    [InlineData("/v1/web/events?kind=liquidation&limit=1001", "BAD_REQUEST")]
    [InlineData("/v1/web/events?kind=liquidation&limit=99999999999999999999", "BAD_REQUEST")]
    public async Task Bad_chart_and_event_queries_are_a_400_and_change_nothing(string query, string code)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        string root = await n.StateRootAsync();
        using HttpResponseMessage r = await n.Http.GetAsync(query);
        Assert.Equal(400, (int)r.StatusCode);
        Assert.Equal(code, (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());
    }

    // Several borrowers at different leverage on ETH collateral, one WBTC holder borrowing ETH (liquidated as
    // ETH rises) and a USDC supplier (bob) who can liquidate.
    internal static async Task<(ActionSigner Supplier, ActionSigner[] Borrowers)> SeedBookAsync(TestNode n)
    {
        ActionSigner bob = n.Signer("heatmap-supplier");
        long usdcUnit = Unit(n, "USDC"), ethUnit = Unit(n, "ETH"), btcUnit = Unit(n, "WBTC");
        await Ok(n, bob, n.Deposit(bob, "USDC", 5_000_000 * usdcUnit), 0);
        await Ok(n, bob, n.Deposit(bob, "ETH", 1_000 * ethUnit), 1);
        ActionSigner[] borrowers = [.. Enumerable.Range(0, 6).Select(i => n.Signer("heatmap-borrower-" + i))];
        for (int i = 0; i < borrowers.Length; i++)
        {
            ActionSigner s = borrowers[i];
            await Ok(n, s, n.Deposit(s, "ETH", 10 * ethUnit), 0);
            // ETH at 3000, maintenance weight 0.83: 24,900 USD of borrowing power; 20,000 down to 12,500.
            long borrow = (20_000 - (i * 1_500)) * usdcUnit;
            await Ok(n, s, new Borrow(s.Address, new AccountKey(s.Address, 0), n.Asset("USDC"), borrow), 1);
        }

        ActionSigner shortEth = n.Signer("heatmap-eth-borrower");
        await Ok(n, shortEth, n.Deposit(shortEth, "WBTC", 1 * btcUnit), 0);
        JsonElement btc = (await n.GetJsonAsync("/v1/assets")).EnumerateArray().Single(x => x.GetProperty("symbol").GetString() == "WBTC");
        decimal btcUsd = decimal.Parse(btc.GetProperty("price").GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        // Borrow ETH worth about 60% of the WBTC: liquidatable once ETH rises by some tens of percent.
        long ethDebt = (long)(btcUsd * 0.6m / 3000m * ethUnit);
        await Ok(n, shortEth, new Borrow(shortEth.Address, new AccountKey(shortEth.Address, 0), n.Asset("ETH"), ethDebt), 1);
        return (bob, borrowers);
    }

    internal static async Task<JsonElement> Eventually(TestNode n, string path, Func<JsonElement, bool> done)
    {
        for (var sw = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(20))
        {
            JsonElement j = await n.GetJsonAsync(path);
            if (done(j) || sw.Elapsed > TimeSpan.FromSeconds(10))
            {
                return j;
            }
        }
    }

    internal static long Unit(TestNode n, string symbol) => (long)Precision.Pow10(n.Genesis.Assets[n.Asset(symbol)].QuantumDecimals);

    internal static async Task Ok(TestNode n, ActionSigner s, EngineAction a, ulong nonce)
    {
        using HttpResponseMessage r = await n.SubmitAsync(s, a, nonce);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode && body.Contains("\"OK\"", StringComparison.Ordinal), $"{a.GetType().Name}: {body}");
    }

    private static BlockNotice Notice(long height, long insurance, params EngineEvent[] events)
    {
        Amount z = Amount.Of(0, 0);
        var asset = new AssetView(0, "USDC", 6, Amount.Of(100_000_000, 8), z, z, z, Amount.Of(insurance, 6), z, z, z, z, z, false);
        var head = new BlockHeaderView(height, height, "", "", "", events.Length, 0);
        return new BlockNotice(head, [new ActionOutcome(height, "", "OK", events)], new ChainView(head, [asset], [], [], 0, 0));
    }
}
