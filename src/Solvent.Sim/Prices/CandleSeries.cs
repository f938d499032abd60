using System.Globalization;

namespace Solvent.Sim.Prices;

/// <summary>
/// Hourly (or any fixed-interval) candles read from <c>timestamp,open,high,low,close,volume</c> CSV, walked
/// as a continuous path: open → the extreme nearer the open → the other extreme → close, each leg a third
/// of the candle, so a replay never skips a candle's low (shared/data/README.md's path rule).
/// </summary>
internal sealed class CandleSeries
{
    private readonly long[] _time;
    private readonly double[] _open, _high, _low, _close;

    private CandleSeries(long[] time, double[] open, double[] high, double[] low, double[] close)
    {
        (_time, _open, _high, _low, _close) = (time, open, high, low, close);
        Interval = time.Length > 1 ? time[1] - time[0] : 3600;
    }

    public long Interval { get; }

    public long First => _time[0];

    public int Count => _time.Length;

    public ReadOnlySpan<double> Closes => _close;

    public static CandleSeries Load(string path)
    {
        var t = new List<long>();
        var o = new List<double>();
        var h = new List<double>();
        var l = new List<double>();
        var c = new List<double>();
        int line = 0;
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            if (line == 1 || raw.Length == 0)
            {
                continue;
            }

            string[] f = raw.Split(',');
            if (f.Length < 5 || !long.TryParse(f[0], CultureInfo.InvariantCulture, out long ts))
            {
                throw new FormatException($"{path}:{line}: expected timestamp,open,high,low,close");
            }

            t.Add(ts);
            o.Add(double.Parse(f[1], CultureInfo.InvariantCulture));
            h.Add(double.Parse(f[2], CultureInfo.InvariantCulture));
            l.Add(double.Parse(f[3], CultureInfo.InvariantCulture));
            c.Add(double.Parse(f[4], CultureInfo.InvariantCulture));
        }

        return t.Count == 0 ? throw new FormatException($"{path}: no candles") : new CandleSeries([.. t], [.. o], [.. h], [.. l], [.. c]);
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
}
