using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Npgsql;
using Solvent.Indexer.Api;

namespace Solvent.Indexer.Tests;

public sealed class ApiTests : IDisposable
{
    private readonly ChainRecorder _chain = ChainRecorder.Record(rounds: 4, fillers: 4);
    private readonly PgDatabase _db = new();
    private readonly NpgsqlDataSource _ds;
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    public ApiTests()
    {
        ChainIndexer.IndexDirectory(_chain.Dir, _db.ConnectionString);
        _ds = NpgsqlDataSource.Create(_db.ConnectionString);
        WebApplicationBuilder b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseTestServer();
        _app = b.Build();
        IndexerApi.Map(_app, _ds);
        _app.StartAsync().GetAwaiter().GetResult();
        _http = _app.GetTestClient();
    }

    public void Dispose()
    {
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _ds.Dispose();
        _db.Dispose();
        Directory.Delete(_chain.Dir, true);
    }

    private async Task<JsonElement> Get(string path)
    {
        HttpResponseMessage r = await _http.GetAsync(path);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{path}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Account_history_pages_through_every_event_once_newest_first()
    {
        string keeper = Crypto.ActionSigner.FromSeed("keeper", Crypto.Eip712Domain.FromGenesis(_chain.Engine.Genesis)).Address.ToString();
        long expected = _db.Scalar<long>($"SELECT count(*) FROM account_events WHERE owner = '\\x{keeper[2..]}'::bytea");
        Assert.True(expected > 10, $"keeper has {expected} events");
        var seen = new List<(long H, int A, int E)>();
        string? cursor = null;
        int pages = 0;
        do
        {
            JsonElement page = await Get($"/v1/accounts/{keeper}/history?limit=7" + (cursor is null ? "" : "&cursor=" + cursor));
            foreach (JsonElement it in page.GetProperty("items").EnumerateArray())
            {
                seen.Add((it.GetProperty("height").GetInt64(), it.GetProperty("action").GetInt32(), it.GetProperty("event").GetInt32()));
            }

            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 1000);

        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.H).ThenByDescending(s => s.A).ThenByDescending(s => s.E), seen);
    }

    [Fact]
    public async Task Liquidations_filter_by_time_range_asset_and_kind()
    {
        JsonElement all = await Get("/v1/liquidations?limit=500");
        Assert.Equal(_chain.LendingLiquidations + _chain.PerpLiquidations, all.GetProperty("items").GetArrayLength());
        JsonElement lending = await Get($"/v1/liquidations?kind=lending&asset={ChainRecorder.Usdc}&limit=500");
        Assert.Equal(_chain.LendingLiquidations, lending.GetProperty("items").GetArrayLength());
        Assert.Equal(_chain.Seized, lending.GetProperty("items").EnumerateArray().Sum(i => long.Parse(i.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

        long[] times = [.. all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("time").GetInt64())];
        long mid = times.Order().ElementAt(times.Length / 2);
        JsonElement early = await Get($"/v1/liquidations?to={mid - 1}&limit=500");
        JsonElement late = await Get($"/v1/liquidations?from={mid}&limit=500");
        Assert.Equal(times.Count(t => t < mid), early.GetProperty("items").GetArrayLength());
        Assert.Equal(times.Count(t => t >= mid), late.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Funding_history_totals_the_market_settled_funding()
    {
        JsonElement f = await Get($"/v1/funding/{ChainRecorder.EthPerp}?limit=500");
        Assert.Equal(_chain.Engine.Markets[ChainRecorder.EthPerp].FundingSettled.ToString(System.Globalization.CultureInfo.InvariantCulture), f.GetProperty("settled").GetString());
        Assert.True(f.GetProperty("items").GetArrayLength() > 0);
        Assert.Equal(_chain.Engine.Markets[ChainRecorder.EthPerp].FundingIndex.ToString(), f.GetProperty("items").EnumerateArray().Last().GetProperty("fundingIndex").GetString());
    }

    [Fact]
    public async Task Candles_cover_every_fill_with_consistent_ohlc()
    {
        JsonElement c = await Get($"/v1/candles/{ChainRecorder.EthPerp}?limit=500");
        JsonElement[] items = [.. c.GetProperty("items").EnumerateArray()];
        Assert.NotEmpty(items);
        Assert.Equal(_db.Scalar<long>($"SELECT count(*) FROM fills WHERE market = {ChainRecorder.EthPerp} AND size <> 0"), items.Sum(i => (long)i.GetProperty("trades").GetInt32()));
        foreach (JsonElement i in items)
        {
            long o = i.GetProperty("open").GetInt64(), h = i.GetProperty("high").GetInt64(), l = i.GetProperty("low").GetInt64(), cl = i.GetProperty("close").GetInt64();
            Assert.True(l <= o && o <= h && l <= cl && cl <= h && l > 0, i.ToString());
            Assert.Equal(0, i.GetProperty("minute").GetInt64() % 60);
        }
    }

    [Theory]
    [InlineData("/v1/accounts/not-an-address/history")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/history?cursor=abc")]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/history?limit=0")]
    [InlineData("/v1/liquidations?from=10&to=5")]
    [InlineData("/v1/liquidations?kind=margin")]
    [InlineData("/v1/candles/0?from=yesterday")]
    public async Task Bad_parameters_get_400_with_a_message(string path)
    {
        HttpResponseMessage r = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()));
    }
}
