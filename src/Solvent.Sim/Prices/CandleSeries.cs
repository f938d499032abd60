using System.Globalization;
using System.Text;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Prices;

/// <summary>
/// Hourly (or any fixed-interval) candles read from <c>timestamp,open,high,low,close[,volume]</c> CSV, walked
/// as a continuous path: open → the extreme nearer the open → the other extreme → close, each leg a third
/// of the candle, so a replay never skips a candle's low (shared/data/README.md's path rule).
/// </summary>
/// <remarks>
/// A file that is not exactly that shape is refused with a <see cref="ScenarioException"/> whose path is
/// <c>file:line</c> (1-based): a silently skipped row or a zero price would otherwise become a plausible
/// looking but fictitious price path.
/// </remarks>
internal sealed class CandleSeries
{
    /// <summary>Largest accepted price (USD); anything above is a unit or parsing mistake, not a market.</summary>
    public const double MaxPrice = 1e12;

    /// <summary>Largest accepted timestamp (year 5138 in seconds); larger values are milliseconds or microseconds.</summary>
    public const long MaxTimestamp = 100_000_000_000;

    /// <summary>Largest accepted file (bytes): decades of minute candles fit well below it.</summary>
    public const long MaxFileBytes = 256_000_000;

    private static readonly string[] Columns = ["timestamp", "open", "high", "low", "close", "volume"];
    private readonly long[] _time;
    private readonly double[] _open, _high, _low, _close;

    private CandleSeries(long[] time, double[] open, double[] high, double[] low, double[] close)
    {
        (_time, _open, _high, _low, _close) = (time, open, high, low, close);
        long interval = long.MaxValue;
        for (int i = 1; i < time.Length; i++)
        {
            interval = Math.Min(interval, time[i] - time[i - 1]);
        }

        // The smallest gap is the candle length: larger gaps are missing candles (they hold the last close).
        Interval = time.Length > 1 ? interval : 3600;
    }

    /// <summary>Seconds per candle.</summary>
    public long Interval { get; }

    /// <summary>Open time of the first candle (Unix seconds).</summary>
    public long First => _time[0];

    /// <summary>Close time of the last candle (Unix seconds): the last instant the file describes.</summary>
    public long End => _time[^1] + Interval;

    public int Count => _time.Length;

    public ReadOnlySpan<long> Times => _time;

    public ReadOnlySpan<double> Closes => _close;

    /// <summary>Reads and validates a candle file; every refusal names the file and the 1-based line.</summary>
    public static CandleSeries Load(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ScenarioException(path, "is a directory, not a candle CSV file");
        }

        if (!File.Exists(path))
        {
            throw new ScenarioException(path, "price file does not exist");
        }

        string[] lines;
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new ScenarioException(path, $"is larger than {MaxFileBytes / 1_000_000} MB; a candle file of that size is not a price history");
            }

            // Strict UTF-8: binary garbage is refused instead of decoding to replacement characters.
            lines = File.ReadAllLines(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new ScenarioException(path, e is DecoderFallbackException ? "is not a UTF-8 text file" : $"cannot be read: {e.Message}");
        }

        return Parse(path, lines);
    }

    /// <summary>Validates <paramref name="lines"/> (a file's lines, as split by <see cref="File.ReadAllLines(string)"/>); <paramref name="name"/> prefixes messages.</summary>
    internal static CandleSeries Parse(string name, IReadOnlyList<string> lines)
    {
        int last = lines.Count;
        while (last > 0 && string.IsNullOrWhiteSpace(lines[last - 1]))
        {
            last--;
        }

        if (last == 0)
        {
            throw new ScenarioException($"{name}:1", "empty file; expected the header timestamp,open,high,low,close[,volume]");
        }

        string[] header = lines[0].TrimStart('\uFEFF').Split(',');
        int columns = header.Length;
        bool known = columns is 5 or 6;
        for (int i = 0; known && i < columns; i++)
        {
            known = string.Equals(header[i].Trim(), Columns[i], StringComparison.OrdinalIgnoreCase);
        }

        if (!known)
        {
            throw new ScenarioException($"{name}:1", $"header must be timestamp,open,high,low,close[,volume] (Unix seconds, USD prices), found \"{Clip(lines[0])}\"");
        }

        if (last == 1)
        {
            throw new ScenarioException($"{name}:2", "no candles after the header");
        }

        var t = new long[last - 1];
        var o = new double[last - 1];
        var h = new double[last - 1];
        var l = new double[last - 1];
        var c = new double[last - 1];
        for (int i = 1; i < last; i++)
        {
            string at = $"{name}:{i + 1}";
            string raw = lines[i];
            if (string.IsNullOrWhiteSpace(raw))
            {
                throw new ScenarioException(at, "blank line between candles");
            }

            string[] f = raw.Split(',');
            if (f.Length != columns)
            {
                throw new ScenarioException(at, $"expected {columns} comma-separated fields like the header, found {f.Length}");
            }

            if (!long.TryParse(f[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long ts) || ts <= 0)
            {
                throw new ScenarioException(at, $"timestamp \"{Clip(f[0])}\" is not a positive whole number of Unix seconds");
            }

            if (ts >= MaxTimestamp)
            {
                throw new ScenarioException(at, $"timestamp {ts} is beyond year 5000 in seconds: milliseconds? timestamps must be Unix seconds");
            }

            int k = i - 1;
            if (k > 0 && ts <= t[k - 1])
            {
                throw new ScenarioException(at, ts == t[k - 1]
                    ? $"timestamp {ts} repeats line {i} (duplicated candle)"
                    : $"timestamp {ts} is earlier than line {i}'s {t[k - 1]}; candles must be in strictly increasing time order");
            }

            t[k] = ts;
            o[k] = Price(at, "open", f[1]);
            h[k] = Price(at, "high", f[2]);
            l[k] = Price(at, "low", f[3]);
            c[k] = Price(at, "close", f[4]);
            if (l[k] > Math.Min(o[k], c[k]) || h[k] < Math.Max(o[k], c[k]))
            {
                throw new ScenarioException(at, "low must be ≤ open and close, and high ≥ open and close");
            }

            if (columns == 6 && !(double.TryParse(f[5].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= 0))
            {
                throw new ScenarioException(at, $"volume \"{Clip(f[5])}\" is not a finite number ≥ 0");
            }
        }

        return new CandleSeries(t, o, h, l, c);
    }

    /// <summary>Price on the intra-candle path at Unix time <paramref name="at"/> (clamped to the file's span; gaps hold the last close).</summary>
    public double At(long at)
    {
        int i = Array.BinarySearch(_time, at);
        if (i < 0)
        {
            i = ~i - 1;
        }

        if (i < 0)
        {
            return _open[0];
        }

        double frac = Math.Min(1.0, (at - _time[i]) / (double)Interval);
        double open = _open[i], close = _close[i];
        bool lowFirst = open - _low[i] <= _high[i] - open;
        double first = lowFirst ? _low[i] : _high[i], second = lowFirst ? _high[i] : _low[i];
        return frac switch
        {
            < 1.0 / 3 => open + ((first - open) * frac * 3),
            < 2.0 / 3 => first + ((second - first) * ((frac * 3) - 1)),
            _ => second + ((close - second) * ((frac * 3) - 2)),
        };
    }

    private static double Price(string at, string column, string text)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || !double.IsFinite(p))
        {
            throw new ScenarioException(at, $"{column} \"{Clip(text)}\" is not a finite number");
        }

        return p is > 0 and <= MaxPrice
            ? p
            : throw new ScenarioException(at, $"{column} {p.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most {MaxPrice.ToString(CultureInfo.InvariantCulture)} USD");
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
