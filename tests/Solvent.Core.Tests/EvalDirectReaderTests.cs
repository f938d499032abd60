using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsCheck;
using Solvent.Core.Config;
using Solvent.Core.Eval;

namespace Solvent.Core.Tests;

/// <summary>
/// The direct UTF-8 subaccount reader against the field reader, and the report written in runs against
/// the serialized report: on random requests, well-formed and not, both give the same subaccounts or
/// the same messages, and the same bytes.
/// </summary>
public class EvalDirectReaderTests
{
    private static string Load(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", path));

    private static readonly string[] Symbols = ["USDC", "usdc", "USDT", "ETH", "eth", "Eth", "WBTC", "SOL", "DOGE", "\\u0045TH", "É"];
    private static readonly string[] Markets = ["ETH-PERP", "eth-perp", "BTC-PERP", "SOL-PERP", "DOGE-PERP", "\\u0045TH-PERP"];

    private static readonly Gen<string> Edge = Gen.OneOfConst(
            "\"4611686018.427387903\"", "\"-4611686018.427387904\"", "\"4611686018.427387904\"", "\"-4611686018.427387905\"",
            "\"4611686018427.387903\"", "\"4611686018427.387904\"", "\"-4611686018427.387904\"", "\"46116860184273879.03\"",
            "\"9999999999999999999\"", "\"0.0000000000000000001\"", "\"00000000000000000001\"", "\"1.000000000000000000000\"",
            "\"1.0000000001\"", "\"1.5000000000\"", "\"0\"", "\"-0\"", "\"+5\"", "\".5\"", "\"5.\"", "\"-.5\"", "\".\"", "\"-\"",
            "\"\"", "\" 5\"", "\"5 \"", "\"1e5\"", "\"0x10\"", "\"1,5\"", "\"\\u0035\"", "5", "null", "true", "{}", "[]");

    // Amounts that read, that are refused, and the edges between: the ±long/2 range of a balance, 19+
    // digits, precision beyond 9 places with and without trailing zeros, signs, spaces and empty strings.
    private static readonly Gen<string> Amount = Gen.Frequency(
        (1, Gen.Long[-1_000_000_000_000, 1_000_000_000_000].Select(x => $"\"{Math.DecimalString.Format(x, 6)}\"")),
        (1, Gen.Long.Select(x => $"\"{Math.DecimalString.Format(x, 9)}\"")),
        (1, Gen.Long.Select(x => $"\"{Math.DecimalString.Format(x, 8)}\"")),
        (1, Gen.Long.Select(x => $"\"{x}\"")),
        (6, Edge));

    private static readonly Gen<string> Owner = Gen.OneOf(
        Gen.Int[1, 40].Select(i => $"\"owner\": \"0x{i:x40}\""),
        Gen.Int[1, 40].Select(i => $"\"owner\": \"0X{i:X40}\""),
        Gen.OneOfConst(
            "\"owner\": \"0xABCDEFabcdef0123456789abcdefABCDEF012345\"", "\"owner\": \"0x123\"", "\"owner\": \"1x0000000000000000000000000000000000000001\"",
            "\"owner\": \"0x000000000000000000000000000000000000000g\"", "\"owner\": 5", "\"owner\": null", "\"owner\": \"\"", "\"owner\": \"  \"",
            "\"\\u006fwner\": \"0x0000000000000000000000000000000000000007\"", ""));

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.UInt.Select(n => $"\"number\": {n}"),
        Gen.OneOfConst("", "", "\"number\": null", "\"number\": 0", "\"number\": 4294967295", "\"number\": 4294967296", "\"number\": -1",
            "\"number\": 1.5", "\"number\": 1e2", "\"number\": \"1\"", "\"number\": 99999999999"));

    private static readonly Gen<string> Mode = Gen.OneOfConst("", "", "\"mode\": null", "\"mode\": \"cross\"", "\"mode\": \"isolated\"", "\"mode\": \"Cross\"", "\"mode\": 5", "\"mode\": \"\"");

    private static readonly Gen<string> Balances = Gen.Frequency(
        (8, Gen.Select(Gen.Int[0, Symbols.Length - 1], Amount).Array[0, 7].Select(b => "\"balances\": { " + string.Join(", ", b.Select(x => $"\"{Symbols[x.Item1]}\": {x.Item2}")) + " }")),
        (1, Gen.OneOfConst("", "\"balances\": null", "\"balances\": []", "\"balances\": 5")));

    private static readonly Gen<string> Position = Gen.Select(Gen.Int[0, Markets.Length - 1], Amount, Amount, Gen.Int[0, 5]).Select(t =>
        $"\"{Markets[t.Item1]}\": " + t.Item4 switch
        {
            0 => $"{{ \"size\": {t.Item2} }}",
            1 => $"{{ \"size\": {t.Item2}, \"entryPrice\": {t.Item3}, \"note\": [1, {{}}] }}",
            2 => $"{{ \"entryPrice\": {t.Item3}, \"size\": {t.Item2}, \"size\": {t.Item2} }}",
            3 => "5",
            _ => $"{{ \"size\": {t.Item2}, \"entryPrice\": {t.Item3} }}",
        });

    private static readonly Gen<string> Positions = Gen.Frequency(
        (3, Gen.OneOfConst("", "\"positions\": null", "\"positions\": {}", "\"positions\": []")),
        (3, Position.Array[1, 3].Select(p => "\"positions\": { " + string.Join(", ", p) + " }")));

    private static readonly Gen<string> Extra = Gen.OneOfConst("", "", "", "\"note\": { \"a\": [1, 2] }", "\"owner\": \"0x0000000000000000000000000000000000000009\"", "\"balances\": {}");

    private static readonly Gen<string> Subaccount = Gen.Frequency(
        (20, Gen.Select(Gen.Select(Owner, Number, Mode), Gen.Select(Balances, Positions, Extra), Gen.Int[0, 2])
            .Select(t =>
            {
                string[] fields = [t.Item1.Item1, t.Item1.Item2, t.Item1.Item3, t.Item2.Item1, t.Item2.Item2, t.Item2.Item3];
                IEnumerable<string> present = fields.Where(f => f.Length > 0);
                return "{ " + string.Join(", ", t.Item3 == 0 ? present : present.Reverse()) + " }";
            })),
        (1, Gen.OneOfConst("5", "null", "[]", "{}")));

    // Well-formed subaccounts; with edges, one balance in four more is an edge amount (most refused).
    private static readonly Gen<string> GoodSubaccount = WellFormed(edges: false);

    private static readonly Gen<string> NearlyGoodSubaccount = WellFormed(edges: true);

    private static Gen<string> WellFormed(bool edges) => Gen.Select(
            Gen.Int[1, 30],
            Gen.Int[0, 3],
            Gen.Bool,
            Gen.Select(Gen.Int[0, 4], Gen.Long[-1_000_000_000_000_000, 1_000_000_000_000_000]).Array[0, 5],
            Gen.Select(Gen.Int[0, 2], Gen.Long[-10_000_000, 10_000_000].Where(x => x != 0), Gen.Long[1, 10_000_000]).Array[0, 2],
            edges ? Gen.Frequency((3, Gen.Const("")), (1, Gen.Select(Gen.OneOfConst("USDC", "ETH", "WBTC"), Edge, (a, v) => $"\"{a}\": {v}"))) : Gen.Const(""))
        .Select(t =>
        {
            string[] assets = ["USDC", "USDT", "eth", "WBTC", "Sol"];
            int[] places = [6, 6, 9, 8, 9];
            string[] markets = ["ETH-PERP", "btc-perp", "SOL-PERP"];
            var bal = t.Item4.DistinctBy(b => b.Item1).Select(b => $"\"{assets[b.Item1]}\": \"{Math.DecimalString.Format(b.Item2, places[b.Item1])}\"")
                .Concat(t.Item6.Length > 0 ? [t.Item6] : []);
            var pos = t.Item5.DistinctBy(p => p.Item1).Select(p => $"\"{markets[p.Item1]}\": {{ \"size\": \"{Math.DecimalString.Format(p.Item2, 3)}\", \"entryPrice\": \"{Math.DecimalString.Format(p.Item3, 2)}\" }}");
            string number = t.Item2 == 0 ? "" : $", \"number\": {t.Item2}";
            string positions = t.Item5.Length == 0 ? "" : $", \"positions\": {{ {string.Join(", ", pos)} }}";
            return $"{{ \"owner\": \"0x{t.Item1:x40}\"{number}, \"mode\": \"{(t.Item3 ? "isolated" : "cross")}\", \"balances\": {{ {string.Join(", ", bal)} }}{positions} }}";
        });

    private static readonly Gen<string> Request = Gen.Select(
            Gen.Frequency((3, NearlyGoodSubaccount), (1, Subaccount)).Array[0, 12],
            Gen.Int[0, 2],
            Gen.Long[1, 9_000_000])
        .Select(t =>
        {
            string subs = $"\"subaccounts\": [ {string.Join(", ", t.Item1)} ]";
            string prices = $"\"prices\": {{ \"SOL\": \"{Math.DecimalString.Format(t.Item3, 4)}\" }}";
            return t.Item2 switch
            {
                0 => $"{{ \"genesis\": \"genesis.example.json\", {prices}, {subs} }}",
                1 => $"{{ {subs}, {prices}, \"genesis\": \"genesis.example.json\" }}",
                _ => $"{{ \"genesis\": \"genesis.example.json\", {subs}, {prices} }}",
            };
        });

    // What a parse gives: every message, or every subaccount as read.
    private static string Outcome(string json, bool directReader)
    {
        try
        {
            EvalInput input = EvalInput.Parse(Encoding.UTF8.GetBytes(json), Load, directReader);
            var sb = new StringBuilder();
            foreach (EvalSubaccount s in input.Subaccounts)
            {
                sb.Append($"{s.Key} {s.Mode} [{string.Join(", ", s.Balances)}] [{string.Join(", ", s.Positions)}]\n");
            }

            return sb.ToString();
        }
        catch (GenesisException e)
        {
            return "refused:\n" + string.Join("\n", e.Errors);
        }
    }

    [Fact]
    public void The_direct_reader_reads_what_the_field_reader_reads_and_refuses_what_it_refuses()
    {
        Request.Sample(
            json =>
            {
                string direct = Outcome(json, directReader: true), field = Outcome(json, directReader: false);
                if (direct != field)
                {
                    throw new InvalidOperationException($"direct reader:\n{direct}\nfield reader:\n{field}\nrequest: {json}");
                }
            },
            iter: 3000);
    }

    [Fact]
    public void Random_requests_are_read_directly_most_of_the_time()
    {
        // Guards the comparison above against a direct reader that gives up on everything.
        string json = $"{{ \"genesis\": \"genesis.example.json\", \"subaccounts\": [ {string.Join(", ", GoodSubaccount.Array[50].Single())} ] }}";
        Assert.Equal(Outcome(json, directReader: false), Outcome(json, directReader: true));
        var reader = new EvalSubaccountReader(GenesisLoader.Parse(Load("genesis.example.json")));
        var table = new EvalSubaccountTable();
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(GoodSubaccount.Single()));
        r.Read();
        Assert.True(reader.TryRead(ref r, table));
        Assert.Single(table);
    }

    [Theory]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "balances": { "ETH": "1", "eth": "2" } }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "balances": { "ETH": "1", "\u0045TH": "2" } }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "balances": { "USDC": "4611686018427.387904" } }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "balances": { "USDC": " 1" } }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "number": -1, "balances": {} }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "balances": {}, "balances": {} }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001" }""")]
    [InlineData("""{ "owner": "0x0000000000000000000000000000000000000001", "balances": {}, "positions": { "ETH-PERP": { "size": "0", "entryPrice": "1" } } }""")]
    public void The_direct_reader_gives_up_on_what_needs_a_message_or_a_closer_look(string subaccount)
    {
        var reader = new EvalSubaccountReader(GenesisLoader.Parse(Load("genesis.example.json")));
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(subaccount));
        r.Read();
        Assert.False(reader.TryRead(ref r, new EvalSubaccountTable()));
    }

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    // The report written as the CLI writes it: the opening, runs of random lengths, the closing.
    private static string InRuns(EvalBook book, bool liquidationPrices, int[] runs)
    {
        var writer = new EvalReportWriter(book, liquidationPrices);
        var into = new ArrayBufferWriter<byte>();
        writer.WriteHead(into);
        int id = writer.FirstId, k = 0;
        while (id < writer.EndId)
        {
            int to = System.Math.Min(writer.EndId, id + (runs.Length == 0 ? 1 : runs[k++ % runs.Length]));
            var run = new ArrayBufferWriter<byte>(1);
            writer.WriteSubaccounts(run, id, to);
            into.Write(run.WrittenSpan);
            id = to;
        }

        writer.WriteTail(into);
        return Encoding.UTF8.GetString(into.WrittenSpan);
    }

    [Fact]
    public void The_report_written_in_runs_is_the_serialized_report()
    {
        Gen.Select(GoodSubaccount.Array[0, 12], Gen.Int[1, 5].Array[0, 4], Gen.Long[1, 9_000_000], Gen.Bool).Sample(
            t =>
            {
                string json = $"{{ \"genesis\": \"genesis.example.json\", \"prices\": {{ \"SOL\": \"{Math.DecimalString.Format(t.Item3, 4)}\" }}, \"subaccounts\": [ {string.Join(", ", t.Item1)} ] }}";
                EvalBook book = EvalInput.Parse(json, Load).Build(parallelism: 2);
                string expected = JsonSerializer.Serialize(EvalReport.Build(book.Engine, t.Item4), SerializerOptions);
                string actual = InRuns(book, t.Item4, t.Item2);
                if (expected != actual)
                {
                    throw new InvalidOperationException($"report in runs differs for {json}:\n{actual}\nexpected:\n{expected}");
                }
            },
            iter: 150,
            threads: 1);
    }

    [Theory]
    [InlineData("eval.example.json", true)]
    [InlineData("eval.example.json", false)]
    [InlineData("eval.oracle.json", true)]
    [InlineData("eval.oracle.json", false)]
    public void The_examples_written_in_runs_are_their_serialized_reports(string request, bool liquidationPrices)
    {
        EvalBook book = EvalInput.Parse(Load(request), Load).Build(parallelism: 2);
        Assert.Equal(JsonSerializer.Serialize(EvalReport.Build(book.Engine, liquidationPrices), SerializerOptions), InRuns(book, liquidationPrices, [2, 1, 3]));
    }

    [Fact]
    public void Figures_beyond_64_bits_are_written_as_the_serializer_writes_them()
    {
        // Near the largest balances, values in USD × 1e6 and health factors leave 64 bits.
        string json = """
            { "genesis": "genesis.example.json", "prices": { "ETH": "92233" },
              "subaccounts": [ { "owner": "0x0000000000000000000000000000000000000001", "balances": { "ETH": "400000000", "USDC": "-1" } },
                               { "owner": "0x0000000000000000000000000000000000000002", "balances": { "ETH": "-0.000000001", "USDC": "4611686018427" } } ] }
            """;
        EvalBook book = EvalInput.Parse(json, Load).Build(parallelism: 1);
        Assert.Contains(book.Health, h => h.CollateralValue > long.MaxValue || (h.HealthFactorWad ?? 0) > long.MaxValue);
        Assert.Equal(JsonSerializer.Serialize(EvalReport.Build(book.Engine, false), SerializerOptions), InRuns(book, false, [1]));
    }

    [Fact]
    public void No_subaccounts_gives_an_empty_array_as_the_serializer_does()
    {
        EvalBook book = EvalInput.Parse("""{ "genesis": "genesis.example.json", "subaccounts": [] }""", Load).Build(parallelism: 1);
        Assert.Equal(JsonSerializer.Serialize(EvalReport.Build(book.Engine, false), SerializerOptions), InRuns(book, false, []));
    }
}
