using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsCheck;
using Solvent.Core.Config;
using Solvent.Core.Eval;
using Solvent.Core.Math;

namespace Solvent.Core.Tests;

/// <summary>
/// <c>solvent eval</c> requests: ambiguous or out-of-range input is refused with a path that names it,
/// and the streamed JSON report is the serialized report, byte for byte.
/// </summary>
public class EvalInputTests
{
    private static readonly string Scenarios = Path.Combine(AppContext.BaseDirectory, "scenarios");

    private static string Load(string path) => File.ReadAllText(Path.Combine(Scenarios, path));

    private static EvalInput Parse(string json) => EvalInput.Parse(json, Load);

    private static string Request(string subaccounts, string prices = "{}") =>
        $$"""{ "genesis": "genesis.example.json", "prices": {{prices}}, "subaccounts": [ {{subaccounts}} ] }""";

    private static string Sub(int owner, string balances, string positions = "{}") =>
        $$"""{ "owner": "0x{{owner:x40}}", "balances": {{balances}}, "positions": {{positions}} }""";

    private static IReadOnlyList<string> ErrorsOf(string json)
    {
        var e = Assert.Throws<GenesisException>(() => Parse(json).BuildEngine());
        return e.Errors;
    }

    [Theory]
    [InlineData("ETH", "ETH")]
    [InlineData("ETH", "eth")]
    [InlineData("usdc", "USDC")]
    public void A_balance_given_twice_is_refused_naming_it(string first, string second)
    {
        // Summed, 5 ETH against 9,000 USDC would read as 2 + 3 ETH; last-wins as 3. Neither is what was written.
        string json = Request(Sub(1, $$"""{ "{{first}}": "2", "{{second}}": "3", "USDT": "-1000" }"""));
        string error = Assert.Single(ErrorsOf(json));
        string symbol = first.ToUpperInvariant();
        Assert.StartsWith($"subaccounts[0].balances.{second}: {symbol} is given more than once", error);
    }

    [Fact]
    public void A_parsed_request_that_is_never_built_leaves_no_booking_thread_running()
    {
        // The genesis comes first, so its subaccounts are booked on a thread while they are parsed. A caller
        // that drops the request (a refused price, a cancelled report, a server request that failed later)
        // must not leave that thread spinning for the life of the process.
        string request = Request(Sub(1, """{ "ETH": "2", "USDT": "-1000" }""") + "," + Sub(2, """{ "USDC": "500" }"""));
        EvalInput input = Parse(request);
        EvalImportAhead booking = Assert.IsType<EvalImportAhead>(input.PendingBooking);
        Assert.True(SpinWait.SpinUntil(() => booking.Ended, TimeSpan.FromSeconds(10)), "the booking thread still runs after parsing ended");

        // Built afterwards, the request still books what was parsed.
        Engine late = input.BuildEngine();
        Engine fresh = Parse(request).BuildEngine();
        Assert.Equal(fresh.Accounts.Count, late.Accounts.Count);
        Assert.True(fresh.Accounts.Count >= 2);
    }

    [Fact]
    public void A_price_given_twice_is_refused_naming_it()
    {
        string json = Request(Sub(1, """{ "ETH": "1", "USDC": "-100" }"""), prices: """{ "ETH": "2000", "WBTC": "50000", "eth": "1" }""");
        string error = Assert.Single(ErrorsOf(json));
        Assert.StartsWith("prices.eth: ETH is given more than once", error);
    }

    [Fact]
    public void A_position_given_twice_is_refused_naming_it()
    {
        string json = Request(Sub(1, """{ "USDC": "1000" }""", """{ "ETH-PERP": { "size": "1", "entryPrice": "2000" }, "Eth-Perp": { "size": "1", "entryPrice": "2000" } }"""));
        string error = Assert.Single(ErrorsOf(json));
        Assert.StartsWith("subaccounts[0].positions.Eth-Perp: ETH-PERP is given more than once", error);
    }

    [Fact]
    public void Every_duplicate_is_listed_with_the_other_errors()
    {
        string json = Request(
            Sub(1, """{ "ETH": "1", "eth": "1", "DOGE": "1" }""") + ", " + Sub(2, """{ "WBTC": "1", "wbtc": "1" }"""),
            prices: """{ "SOL": "100", "sol": "100" }""");
        Assert.Equal(
            [
                "prices.sol: SOL is given more than once (symbols match case-insensitively); give each once",
                "subaccounts[0].balances.eth: ETH is given more than once (symbols match case-insensitively); give each once",
                "subaccounts[0].balances.DOGE: unknown asset",
                "subaccounts[1].balances.wbtc: WBTC is given more than once (symbols match case-insensitively); give each once",
            ],
            ErrorsOf(json));
    }

    [Fact]
    public void Distinct_entries_of_one_subaccount_still_merge()
    {
        // Repeating (owner, number) across entries is documented as a merge; only a repeat inside one object is ambiguous.
        EvalReport r = EvalReport.Build(Parse(Request(Sub(1, """{ "ETH": "2" }""") + ", " + Sub(1, """{ "ETH": "3" }"""))).BuildEngine());
        Assert.Equal("5", Assert.Single(Assert.Single(r.Subaccounts).Balances).Balance.Value);
    }

    [Fact]
    public void A_health_factor_beyond_the_integer_range_names_the_subaccount_and_asset()
    {
        // 4e9 ETH at $92M is 3.7e17 USD: each balance fits, but collateral × 1e18 for the health factor does not.
        string json = Request(
            Sub(1, """{ "USDC": "100" }""") + ", " + Sub(2, """{ "USDC": "-100", "ETH": "4000000000", "WBTC": "1" }"""),
            prices: """{ "ETH": "92233720" }""");
        string error = Assert.Single(ErrorsOf(json));
        Assert.Equal("subaccounts[1].balances.ETH: 4000000000 at 92233720 USD is worth 368934880000000000 USD; the subaccount's health figures leave the engine's integer range", error);
    }

    [Fact]
    public void A_venue_total_beyond_the_integer_range_names_the_subaccount_and_asset()
    {
        // Each supply is just under long.MaxValue / 2 quantums; the third takes the pool's total past long.MaxValue.
        const string Big = """{ "USDC": "4611686018427" }""";
        string error = Assert.Single(ErrorsOf(Request($"{Sub(1, Big)}, {Sub(2, Big)}, {Sub(3, Big)}")));
        Assert.StartsWith("subaccounts[2].balances.USDC: takes the venue-wide USDC supply", error);
    }

    [Fact]
    public void A_position_total_beyond_the_integer_range_names_the_subaccount_and_market()
    {
        const string Pos = """{ "SOL-PERP": { "size": "2000000000", "entryPrice": "1" } }""";
        // Each long is 2e18 quantums; open interest passes long.MaxValue at the fifth.
        string subs = string.Join(", ", Enumerable.Range(1, 5).Select(i => Sub(i, """{ "USDC": "1" }""", Pos)));
        string error = Assert.Single(ErrorsOf(Request(subs)));
        Assert.StartsWith("subaccounts[4].positions.SOL-PERP: takes SOL-PERP's open interest", error);
    }

    [Fact]
    public void Without_liquidation_prices_every_other_figure_is_unchanged()
    {
        Engine engine = Parse(Load("eval.example.json")).BuildEngine();
        EvalReport with = EvalReport.Build(engine), without = EvalReport.Build(engine, liquidationPrices: false);
        Assert.Contains(with.Subaccounts, s => s.Balances.Any(b => b.LiquidationPrice is not null));
        Assert.Equal(with.Subaccounts.Count, without.Subaccounts.Count);
        for (int i = 0; i < with.Subaccounts.Count; i++)
        {
            SubaccountReport w = with.Subaccounts[i], o = without.Subaccounts[i];
            Assert.All(o.Balances, b => Assert.Null(b.LiquidationPrice));
            Assert.All(o.Positions, p => Assert.Null(p.LiquidationPrice));
            Assert.Equal(w.Balances.Select(b => b with { LiquidationPrice = null }), o.Balances);
            Assert.Equal(w.Positions.Select(p => p with { LiquidationPrice = null }), o.Positions);
            Assert.Equal(w with { Balances = o.Balances, Positions = o.Positions }, o);
        }
    }

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static string Streamed(Engine engine, bool liquidationPrices)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            EvalReportJson.WriteStart(w, engine);
            for (int id = 0; id < engine.Accounts.Count; id++)
            {
                if (!engine.IsProtocolAccount(id))
                {
                    EvalReportJson.WriteSubaccount(w, engine, id, liquidationPrices);
                    w.Flush();
                }
            }

            EvalReportJson.WriteEnd(w, engine);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Theory]
    [InlineData("eval.example.json", true)]
    [InlineData("eval.example.json", false)]
    [InlineData("eval.oracle.json", true)]
    public void The_streamed_report_is_the_serialized_report(string request, bool liquidationPrices)
    {
        Engine engine = Parse(Load(request)).BuildEngine();
        Assert.Equal(JsonSerializer.Serialize(EvalReport.Build(engine, liquidationPrices), SerializerOptions), Streamed(engine, liquidationPrices));
    }

    [Fact]
    public void The_streamed_report_is_the_serialized_report_for_random_requests()
    {
        string[] assets = ["USDC", "USDT", "ETH", "WBTC", "SOL"];
        int[] places = [6, 6, 9, 8, 9];
        string[] markets = ["ETH-PERP", "BTC-PERP", "SOL-PERP"];
        var balances = Gen.Select(Gen.Int[0, 4], Gen.Long[-1_000_000_000_000_000, 1_000_000_000_000_000]).Array[0, 5];
        var positions = Gen.Select(Gen.Int[0, 2], Gen.Long[-10_000_000, 10_000_000].Where(x => x != 0), Gen.Long[1, 10_000_000]).Array[0, 3];
        var sub = Gen.Select(Gen.Int[1, 6], Gen.Bool, balances, positions);
        Gen.Select(sub.Array[1, 6], Gen.Long[1, 9_000_000]).Sample(
            t =>
            {
                var parts = t.Item1.Select(s =>
                {
                    var bal = s.Item3.DistinctBy(b => b.Item1).Select(b => $"\"{assets[b.Item1]}\": \"{DecimalString.Format(b.Item2, places[b.Item1])}\"");
                    var pos = s.Item4.DistinctBy(p => p.Item1).Select(p => $$"""
                        "{{markets[p.Item1]}}": { "size": "{{DecimalString.Format(p.Item2, 3)}}", "entryPrice": "{{DecimalString.Format(p.Item3, 2)}}" }
                        """);
                    return $$"""{ "owner": "0x{{s.Item1:x40}}", "mode": "{{(s.Item2 ? "isolated" : "cross")}}", "balances": { {{string.Join(", ", bal)}} }, "positions": { {{string.Join(", ", pos)}} } }""";
                });
                string json = Request(string.Join(", ", parts), prices: $$"""{ "SOL": "{{DecimalString.Format(t.Item2, 4)}}" }""");
                Engine engine = Parse(json).BuildEngine();
                foreach (bool lp in new[] { true, false })
                {
                    string expected = JsonSerializer.Serialize(EvalReport.Build(engine, lp), SerializerOptions);
                    string actual = Streamed(engine, lp);
                    if (expected != actual)
                    {
                        throw new InvalidOperationException($"streamed report differs for {json}");
                    }
                }
            },
            iter: 60,
            threads: 1);
    }

    [Fact]
    public void Utf8_formatting_matches_string_formatting()
    {
        var value = Gen.OneOf(
            Gen.Long.Select(x => (Int128)x),
            Gen.Select(Gen.Long, Gen.ULong, (hi, lo) => new Int128((ulong)hi, lo)),
            Gen.Int[-1000, 1000].Select(x => (Int128)x),
            Gen.Const(Int128.MinValue),
            Gen.Const(Int128.MaxValue));
        Gen.Select(value, Gen.Int[0, 30]).Sample(t =>
        {
            Span<byte> buf = stackalloc byte[80];
            int n = DecimalString.FormatUtf8(t.Item1, t.Item2, buf);
            return Encoding.UTF8.GetString(buf[..n]) == DecimalString.Format(t.Item1, t.Item2);
        });
    }
}

/// <summary>The request's shape: read in two passes (genesis and prices first, subaccounts one at a time).</summary>
public class EvalRequestShapeTests
{
    private static string Load(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", path));

    private const string One = """{ "owner": "0x1111111111111111111111111111111111111111", "balances": { "ETH": "1", "USDC": "-100" } }""";

    private static IReadOnlyList<string> ErrorsOf(string json) =>
        Assert.Throws<GenesisException>(() => EvalInput.Parse(json, Load)).Errors;

    [Fact]
    public void The_genesis_and_prices_may_follow_the_subaccounts()
    {
        EvalInput input = EvalInput.Parse($$"""{ "subaccounts": [ {{One}} ], "prices": { "ETH": "2500" }, /* comment */ "genesis": "genesis.example.json", }""", Load);
        SubaccountReport s = Assert.Single(EvalReport.Build(input.BuildEngine()).Subaccounts);
        Assert.Equal("2500", s.Balances.Single(b => b.Asset == "ETH").Price.Value);
    }

    [Theory]
    [InlineData("""{ "genesis": "genesis.example.json", "subaccounts": [ ONE ] } x""")]
    [InlineData("""{ "genesis": "genesis.example.json", "subaccounts": [ ONE, { "owner": ] }""")]
    [InlineData("""{ "genesis": "genesis.example.json", "subaccounts": [ ONE """)]
    [InlineData("")]
    public void Invalid_json_anywhere_is_reported_alone(string json)
    {
        string error = Assert.Single(ErrorsOf(json.Replace("ONE", One, StringComparison.Ordinal)));
        Assert.StartsWith("(document): not valid JSON", error);
    }

    [Theory]
    [InlineData("""[ 1 ]""", "(document): must be a JSON object")]
    [InlineData("""{ "genesis": "genesis.example.json" }""", "subaccounts: is required")]
    [InlineData("""{ "genesis": "genesis.example.json", "subaccounts": null }""", "subaccounts: is required")]
    [InlineData("""{ "genesis": "genesis.example.json", "subaccounts": {} }""", "subaccounts: must be an array")]
    [InlineData("""{ "subaccounts": [] }""", "genesis: is required")]
    [InlineData("""{ "genesis": 5, "subaccounts": [] }""", "genesis: must be a path string or an inline genesis object")]
    [InlineData("""{ "genesis": "genesis.example.json", "prices": [], "subaccounts": [] }""", "prices: must be an object of symbol → decimal string")]
    public void Shape_errors_name_the_field(string json, string expected) =>
        Assert.Equal(expected, Assert.Single(ErrorsOf(json)));
}
