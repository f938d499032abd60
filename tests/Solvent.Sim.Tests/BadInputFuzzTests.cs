using System.Text.RegularExpressions;
using CsCheck;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>
/// Mutated scenario files and candle files, loaded and run the way <c>solvent stress run</c> does: every
/// outcome is a finished run or a <see cref="ScenarioException"/> with a message, never any other exception
/// (which the command line could only report as an internal error).
/// </summary>
public partial class BadInputFuzzTests
{
    private static readonly string[] Tokens =
    [
        "0", "-1", "3", "0.5", "1e-300", "1e400", "-1e400", "2147483648", "9999999999", "1e15", "\"NaN\"", "\"Infinity\"",
        "\"x\"", "null", "[]", "{}", "true", "\"1969-12-31T00:00:00Z\"", "\"2020-03-01T06:00:00Z\"", "\"gbm\"", "\"eth.csv\"", "\"\"",
    ];

    private static readonly string[] Fields = ["0", "-1", "", "NaN", "1e999", "abc", "1583020800", "1583020800000", "0.0000001", "1e13", " 7", "1,2"];

    /// <summary>One mutation: which file, the kind, and the random picks it needs.</summary>
    private sealed record Mutation(bool Json, int Kind, int A, int B, int Token, byte[] Bytes)
    {
        public override string ToString() => $"{(Json ? "json" : "csv")} kind {Kind} a {A} b {B} token {Token} bytes {Bytes.Length}";
    }

    [Fact]
    public void Any_mutated_scenario_or_candle_file_runs_or_is_refused_with_a_scenario_error()
    {
        Gen.Select(Gen.Bool, Gen.Int[0, 5], Gen.Int[0, 10_000], Gen.Int[0, 10_000], Gen.Int[0, 1000], Gen.Byte.Array[0, 64])
            .Select((j, k, a, b, t, bytes) => new Mutation(j, k, a, b, t, bytes))
            .Array[1, 3]
            .Sample(
                mutations =>
                {
                    using var f = new BadInputFixture();
                    foreach (Mutation m in mutations)
                    {
                        Apply(f, m);
                    }

                    try
                    {
                        _ = f.Run();
                    }
                    catch (ScenarioException e)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(e.JsonPath), "a refusal names where");
                        Assert.True(e.Message.Length > e.JsonPath.Length + 2, "a refusal says why");
                    }
                },
                iter: 400,
                threads: 1,
                print: ms => string.Join("; ", ms.Select(m => m.ToString())));
    }

    private static void Apply(BadInputFixture f, Mutation m)
    {
        if (m.Json)
        {
            string json = File.ReadAllText(f.ScenarioFile);
            File.WriteAllText(f.ScenarioFile, MutateJson(json, m));
            return;
        }

        string file = m.B % 2 == 0 ? f.EthCsv : f.BtcCsv;
        File.WriteAllText(file, MutateCsv(File.ReadAllText(file), m));
    }

    private static string MutateJson(string json, Mutation m)
    {
        MatchCollection values = JsonValue().Matches(json);
        switch (m.Kind)
        {
            case 0:
            case 1:
            case 2:
                {
                    Match v = values[m.A % values.Count];
                    Group g = v.Groups["value"];
                    return json[..g.Index] + Tokens[m.Token % Tokens.Length] + json[(g.Index + g.Length)..];
                }

            case 3: // delete a stretch of text
                {
                    int at = m.A % json.Length;
                    return json[..at] + json[Math.Min(json.Length, at + 1 + (m.B % 40))..];
                }

            case 4: // drop a "key": value pair
                {
                    Match v = values[m.A % values.Count];
                    return json[..v.Index] + json[(v.Index + v.Length)..];
                }

            default: // raw bytes spliced in
                {
                    int at = m.A % json.Length;
                    return json[..at] + System.Text.Encoding.Latin1.GetString(m.Bytes) + json[at..];
                }
        }
    }

    private static string MutateCsv(string csv, Mutation m)
    {
        List<string> lines = [.. csv.Split('\n')];
        int i = m.A % lines.Count;
        switch (m.Kind)
        {
            case 0:
            case 1: // one field replaced
                {
                    string[] fields = lines[i].Split(',');
                    fields[m.B % fields.Length] = Fields[m.Token % Fields.Length];
                    lines[i] = string.Join(',', fields);
                    break;
                }

            case 2: // a line duplicated
                lines.Insert(i, lines[i]);
                break;
            case 3: // a line deleted, or two swapped
                if (m.B % 2 == 0)
                {
                    lines.RemoveAt(i);
                }
                else
                {
                    int j = m.B % lines.Count;
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                }

                break;
            case 4: // the file cut short
                return csv[..(m.A % (csv.Length + 1))];
            default: // raw bytes in place of a line
                lines[i] = System.Text.Encoding.Latin1.GetString(m.Bytes);
                break;
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex("\"(?<key>[A-Za-z]+)\"\\s*:\\s*(?<value>-?[0-9][0-9.eE+-]*|\"[^\"]*\"|true|false|null)")]
    private static partial Regex JsonValue();
}
