using System.Globalization;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Events;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Web;

namespace Solvent.Node.Tests;

/// <summary>
/// The web app's account history (<c>/v1/accounts/{a}/{s}/history</c>): events from before the page opened,
/// on both sides of a liquidation and a transfer, paged by height, bounded, and refilled after a restart
/// together with the insurance chart and the liquidation list.
/// </summary>
public class AccountHistoryTests
{
    [Fact]
    public async Task Each_subaccount_lists_its_own_events_newest_first_and_pages_back_by_height()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner alice = n.Signer("history-alice");
        long usdc = WebChartTests.Unit(n, "USDC");
        var a0 = new AccountKey(alice.Address, 0);
        var a1 = new AccountKey(alice.Address, 1);
        await WebChartTests.Ok(n, alice, n.Deposit(alice, "USDC", 100 * usdc), 0);
        await WebChartTests.Ok(n, alice, n.Deposit(alice, "USDC", 250 * usdc), 1);
        await WebChartTests.Ok(n, alice, new Transfer(alice.Address, a0, a1, n.Asset("USDC"), 40 * usdc), 2);
        await WebChartTests.Ok(n, alice, n.Deposit(alice, "USDC", 7 * usdc), 3);

        JsonElement h0 = await WebChartTests.Eventually(n, $"/v1/accounts/{alice.Address}/0/history", j => j.GetProperty("events").GetArrayLength() >= 5);
        JsonElement[] e0 = [.. h0.GetProperty("events").EnumerateArray()];
        // Newest first, and within one action last event first: the first deposit opened the subaccount.
        Assert.Equal(["Deposited", "Transferred", "Deposited", "Deposited", "SubaccountOpened"], e0.Select(Type));
        Assert.Equal(["deposited 7 USDC", $"transferred 40 USDC from {a0} to {a1}", "deposited 250 USDC", "deposited 100 USDC", "subaccount opened (cross margin)"], e0.Select(e => e.GetProperty("summary").GetString()));
        long[] heights = [.. e0.Select(e => e.GetProperty("height").GetInt64())];
        long[] sequences = [.. e0.Select(e => e.GetProperty("sequence").GetInt64())];
        Assert.Equal(heights.OrderDescending(), heights);
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Equal(4, sequences.Distinct().Count());
        Assert.Equal(sequences[3], sequences[4]);
        Assert.All(e0, e => Assert.Equal(alice.Address.ToString(), e.GetProperty("signer").GetString()));
        Assert.Equal(AccountHistory.DefaultCapacity, h0.GetProperty("capacity").GetInt32());

        // The receiving subaccount sees the same transfer; the sender's other events are not its own.
        JsonElement[] e1 = [.. (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/1/history")).GetProperty("events").EnumerateArray()];
        Assert.Equal(["Transferred", "SubaccountOpened"], e1.Select(Type));
        Assert.Equal(e0[1].GetProperty("sequence").GetInt64(), e1[0].GetProperty("sequence").GetInt64());

        // limit takes the newest; before pages back strictly below a height.
        JsonElement[] two = [.. (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/history?limit=2")).GetProperty("events").EnumerateArray()];
        Assert.Equal(sequences[..2], two.Select(e => e.GetProperty("sequence").GetInt64()));
        JsonElement[] older = [.. (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0/history?before={heights[1]}")).GetProperty("events").EnumerateArray()];
        Assert.All(older, e => Assert.True(e.GetProperty("height").GetInt64() < heights[1]));
        Assert.Equal(e0.Count(e => e.GetProperty("height").GetInt64() < heights[1]), older.Length);

        // An address the chain has never seen has an empty history, not an error.
        Assert.Equal(0, (await n.GetJsonAsync($"/v1/accounts/0x{new string('7', 40)}/0/history")).GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task A_liquidation_is_in_the_history_of_the_liquidated_and_of_the_liquidator()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        (ActionSigner bob, AccountKey target) = await LiquidateOneAsync(n);
        foreach (AccountKey k in new[] { target, new AccountKey(bob.Address, 0) })
        {
            JsonElement[] events = [.. (await WebChartTests.Eventually(n, $"/v1/accounts/{k.Owner}/{k.Number}/history", j => j.GetProperty("events").EnumerateArray().Any(e => Type(e) == "Liquidated")))
                .GetProperty("events").EnumerateArray()];
            JsonElement liq = events.First(e => Type(e) == "Liquidated");
            Assert.Equal(bob.Address.ToString(), liq.GetProperty("signer").GetString());
            Assert.StartsWith("repaid 1000 USDC, seized ", liq.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Equal(target.Owner.ToString(), liq.GetProperty("event").GetProperty("target").GetProperty("owner").GetString());
        }
    }

    [Fact]
    public async Task A_restart_refills_the_history_the_insurance_chart_and_the_liquidation_list()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-history-" + Guid.NewGuid().ToString("N"));
        var noSnapshots = new Dictionary<string, string?> { ["Solvent:SnapshotEvery"] = "100000" };
        try
        {
            string history, liquidations, root;
            JsonElement[] insurance;
            AccountKey target;
            long head;
            await using (TestNode n = await TestNode.StartAsync(dir, dev: true, extra: noSnapshots))
            {
                (_, target) = await LiquidateOneAsync(n);
                head = (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64();
                await WebChartTests.Eventually(n, "/v1/web/charts/insurance?format=json", j => Last(j) >= head);
                history = (await n.GetJsonAsync($"/v1/accounts/{target.Owner}/0/history?before={head + 1}")).GetRawText();
                liquidations = (await n.GetJsonAsync("/v1/web/events?kind=liquidation")).GetRawText();
                insurance = Upto((await n.GetJsonAsync("/v1/web/charts/insurance?format=json")).GetProperty("points"), head);
                root = await n.StateRootAsync();
            }

            Assert.Contains("Liquidated", history, StringComparison.Ordinal);
            await using (TestNode again = await TestNode.StartAsync(dir, dev: true, extra: noSnapshots))
            {
                Assert.Equal(head, again.Node.Summary.Blocks);
                Assert.Equal(root, await again.StateRootAsync());
                Assert.Equal(history, (await again.GetJsonAsync($"/v1/accounts/{target.Owner}/0/history?before={head + 1}")).GetRawText());
                Assert.Equal(liquidations, (await again.GetJsonAsync("/v1/web/events?kind=liquidation")).GetRawText());
                JsonElement[] refilled = Upto((await again.GetJsonAsync("/v1/web/charts/insurance?format=json")).GetProperty("points"), head);
                Assert.Equal(insurance.Select(p => p.GetRawText()), refilled.Select(p => p.GetRawText()));
                Assert.Equal(head, refilled.Length);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("/v1/accounts/0xnot-an-address/0/history")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/-1/history")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/history?limit=0")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/history?limit=201")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/history?limit=ten")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/history?before=0")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/history?before=-3")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/history?before=99999999999999999999")]
    public async Task Bad_history_queries_are_a_400_naming_the_parameter(string path)
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        using HttpResponseMessage r = await n.Http.GetAsync(path);
        Assert.Equal(400, (int)r.StatusCode);
        Assert.Equal("BAD_REQUEST", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void The_ring_keeps_the_newest_per_subaccount_and_an_event_naming_one_subaccount_twice_once()
    {
        var history = new AccountHistory(capacity: 3);
        var a = new AccountKey(Address.Parse("0x0000000000000000000000000000000000000001"), 0);
        var b = new AccountKey(a.Owner, 1);
        for (long h = 1; h <= 20; h++)
        {
            history.Record(h, h, h, "s", [new Deposited(a, 0, h, 0)]);
        }

        history.Record(21, 21, 21, "s", [new Transferred(a, b, 0, 5)]);
        history.Record(22, 22, 22, "s", [new Liquidated(a, a, 0, 1, 1, 1, 1, 0)]);
        Assert.Equal([22L, 21L, 20L], history.Latest(a, 10).Select(e => e.Height));
        Assert.Equal([21L], history.Latest(b, 10).Select(e => e.Height));
        Assert.Equal([20L], history.Latest(a, 10, beforeHeight: 21).Select(e => e.Height));
        Assert.Empty(history.Latest(new AccountKey(a.Owner, 9), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountHistory(0));
    }

    private static string Type(JsonElement e) => e.GetProperty("event").GetProperty("type").GetString()!;

    private static long Last(JsonElement chart)
    {
        JsonElement points = chart.GetProperty("points");
        return points.GetArrayLength() == 0 ? 0 : points[points.GetArrayLength() - 1].GetProperty("height").GetInt64();
    }

    private static JsonElement[] Upto(JsonElement points, long head) => [.. points.EnumerateArray().Where(p => p.GetProperty("height").GetInt64() <= head)];

    private static async Task<(ActionSigner Liquidator, AccountKey Target)> LiquidateOneAsync(TestNode n)
    {
        (ActionSigner bob, ActionSigner[] borrowers) = await WebChartTests.SeedBookAsync(n);
        ActionSigner gov = n.Node.Dev!.Governance;
        int eth = n.Asset("ETH"), usdc = n.Asset("USDC");
        ulong govNonce = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{gov.Address}")).GetProperty("nextNonce").GetString()!, CultureInfo.InvariantCulture);
        await WebChartTests.Ok(n, gov, new SetOraclePrice(gov.Address, eth, 2_000_00000000), govNonce);
        ulong bobNonce = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{bob.Address}")).GetProperty("nextNonce").GetString()!, CultureInfo.InvariantCulture);
        var target = new AccountKey(borrowers[0].Address, 0);
        await WebChartTests.Ok(n, bob, new Liquidate(bob.Address, new AccountKey(bob.Address, 0), target, usdc, eth, 1_000_000_000), bobNonce);
        return (bob, target);
    }
}
