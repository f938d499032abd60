using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Tests;

/// <summary>Candle files and replay spans that would give a fictitious price path are refused with file:line.</summary>
public class CandleValidationTests
{
    private static ScenarioException Refused(BadInputFixture f) => Assert.Throws<ScenarioException>(() => f.Run());

    [Fact]
    public void The_untouched_fixture_runs()
    {
        using var f = new BadInputFixture();
        Assert.Equal(2, f.Run().Paths);
    }

    [Fact]
    public void A_duplicated_row_is_refused_naming_file_and_line()
    {
        using var f = new BadInputFixture();
        string[] lines = File.ReadAllLines(f.EthCsv);
        f.SetEthLine(11, lines[9]); // line 11 repeats line 10
        ScenarioException e = Refused(f);
        Assert.Contains("eth.csv:11", e.Message);
        Assert.Contains("repeats line 10", e.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("1e999")]
    [InlineData("abc")]
    [InlineData("")]
    public void A_close_that_is_not_a_positive_finite_price_is_refused(string close)
    {
        using var f = new BadInputFixture();
        string[] fields = File.ReadAllLines(f.EthCsv)[16].Split(',');
        fields[4] = close;
        fields[3] = close; // keep the low consistent, so the price rule is what refuses the line
        f.SetEthLine(17, string.Join(',', fields));
        ScenarioException e = Refused(f);
        Assert.StartsWith($"{f.EthCsv}:17: ", e.Message);
    }

    [Fact]
    public void Millisecond_timestamps_are_refused()
    {
        using var f = new BadInputFixture();
        string[] lines = File.ReadAllLines(f.EthCsv);
        File.WriteAllLines(f.EthCsv, [lines[0], .. lines.Skip(1).Select(l => (long.Parse(l.Split(',')[0]) * 1000) + l[l.IndexOf(',')..])]);
        ScenarioException e = Refused(f);
        Assert.Contains("eth.csv:2", e.Message);
        Assert.Contains("milliseconds", e.Message);
    }

    [Theory]
    [InlineData("2019-06-01T00:00:00Z", 21_600)] // before the file
    [InlineData("2020-03-02T20:00:00Z", 21_600)] // ends 2 hours after the last candle closes
    [InlineData("2021-01-01T00:00:00Z", 3_600)] // after the file
    public void A_replay_outside_the_file_is_refused(string start, long duration)
    {
        using var f = new BadInputFixture();
        File.WriteAllText(f.ScenarioFile, BadInputFixture.ScenarioJson(start, duration));
        ScenarioException e = Refused(f);
        Assert.Equal("$.prices.start", e.JsonPath);
        Assert.Contains("eth.csv", e.Message);
    }

    [Fact]
    public void A_replay_ending_exactly_when_the_last_candle_closes_runs()
    {
        using var f = new BadInputFixture();
        File.WriteAllText(f.ScenarioFile, BadInputFixture.ScenarioJson("2020-03-02T18:00:00Z", 21_600));
        Assert.Equal(72, f.Run().Steps);
    }

    [Fact]
    public void A_valid_file_whose_prices_leave_the_engine_range_is_refused_not_clamped()
    {
        // Every field is a valid candle, but the ninth hour, inside the replay, is 10 million times the first: ETH would pass the engine's largest price.
        using var f = new BadInputFixture();
        f.SetEthLine(10, "1583049600,200,2000000000,200,2000000000,1");
        ScenarioException e = Refused(f);
        Assert.Equal("$.prices", e.JsonPath);
        Assert.Contains("ETH", e.Message);
        Assert.Contains("eth.csv", e.Message);
    }

    [Fact]
    public void Exploding_model_parameters_are_refused()
    {
        const string gbm = """{ "model": "gbm", "assets": [ { "symbol": "ETH", "mu": 10, "sigma": 20, "jumpIntensity": 10000, "jumpMean": 1, "jumpStd": 2 } ] }""";
        const string keepers = """{ "count": 1, "latencySeconds": 0, "capitalUsd": 1e6, "minProfitUsd": 0, "gasUsd": 0 }""";
        Scenario s = SimScenarios.Parse(SimScenarios.Json(gbm, keepers, accounts: 20, step: 86_400, duration: 86_400 * 300L));
        Assert.Equal("$.prices", Assert.Throws<ScenarioException>(() => StressRunner.Run(s, 2)).JsonPath);
    }

    [Fact]
    public void Timestamps_going_back_are_refused()
    {
        using var f = new BadInputFixture();
        string[] lines = File.ReadAllLines(f.EthCsv);
        f.SetEthLine(20, lines[17]);
        Assert.Contains("eth.csv:20", Refused(f).Message);
    }

    [Fact]
    public void A_high_below_the_close_is_refused()
    {
        using var f = new BadInputFixture();
        string[] fields = File.ReadAllLines(f.EthCsv)[4].Split(',');
        fields[2] = "1";
        f.SetEthLine(5, string.Join(',', fields));
        Assert.Contains("eth.csv:5", Refused(f).Message);
    }

    [Theory]
    [InlineData("", "eth.csv:1")]
    [InlineData("timestamp,open,high,low,close,volume\n", "eth.csv:2")]
    [InlineData("time,price\n1583020800,200\n", "eth.csv:1")]
    [InlineData("timestamp,open,high,low,close,volume\n1583020800,200,201,199,200\n", "eth.csv:2")]
    [InlineData("timestamp,open,high,low,close,volume\n1583020800,200,201,199,200,1\n\n1583024400,200,201,199,200,1\n", "eth.csv:3")]
    public void Malformed_files_are_refused_with_the_line(string content, string where)
    {
        using var f = new BadInputFixture();
        File.WriteAllText(f.EthCsv, content);
        Assert.Contains(where, Refused(f).Message);
    }

    [Fact]
    public void Binary_garbage_is_refused()
    {
        using var f = new BadInputFixture();
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(f.EthCsv, bytes);
        Assert.Contains("eth.csv", Refused(f).Message);
    }

    [Fact]
    public void A_directory_or_a_missing_file_is_refused_naming_the_field()
    {
        using var f = new BadInputFixture();
        File.Delete(f.EthCsv);
        Assert.Equal("$.prices.assets[0].file", Refused(f).JsonPath);
        Directory.CreateDirectory(f.EthCsv);
        ScenarioException e = Refused(f);
        Assert.Equal("$.prices.assets[0].file", e.JsonPath);
        Assert.Contains("directory", e.Message);
    }

    [Fact]
    public void A_bom_crlf_endings_and_trailing_blank_lines_are_accepted_and_change_nothing()
    {
        using var f = new BadInputFixture();
        string plain = Reports.SummaryJson.Serialize(f.Run());
        string text = File.ReadAllText(f.EthCsv);
        File.WriteAllText(f.EthCsv, "\uFEFF" + text.Replace("\n", "\r\n") + "\r\n\r\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(plain, Reports.SummaryJson.Serialize(f.Run()));
    }

    [Fact]
    public void Every_bundled_price_file_is_valid()
    {
        string[] files = Directory.GetFiles(Path.Combine(SimScenarios.ScenarioDir, "prices"), "*.csv");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            Assert.True(Prices.CandleSeries.Load(file).Count > 100, file);
        }
    }

    [Fact]
    public void Calibration_reads_through_the_same_validation()
    {
        using var f = new BadInputFixture();
        f.SetEthLine(3, "1583020800,1,1,1,1,1");
        ScenarioException e = Assert.Throws<ScenarioException>(() => Prices.Calibration.Run([("ETH", f.EthCsv), ("WBTC", f.BtcCsv)]));
        Assert.Contains("eth.csv:3", e.Message);
    }
}
