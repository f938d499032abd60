using System.Globalization;

namespace Solvent.Sim.Reports;

/// <summary>How reports print numbers: invariant culture, units always written, compact enough to read in a table.</summary>
internal static class Fmt
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>USD with a unit: 1.23M USD, 45.6k USD, 789 USD.</summary>
    public static string Usd(double x) => Compact(x) + " USD";

    /// <summary>A USD figure without the unit (for tables whose header names it).</summary>
    public static string Compact(double x)
    {
        double a = Math.Abs(x);
        return a >= 1e9 ? (x / 1e9).ToString("0.00", Inv) + "B"
            : a >= 1e6 ? (x / 1e6).ToString("0.00", Inv) + "M"
            : a >= 1e4 ? (x / 1e3).ToString("0.0", Inv) + "k"
            : x.ToString("0", Inv);
    }

    /// <summary>A fraction as a percentage with three significant digits (0.000123 → 0.0123%).</summary>
    public static string Pct(double fraction)
    {
        double p = fraction * 100;
        if (p == 0)
        {
            return "0%";
        }

        double a = Math.Abs(p);
        if (a < 0.001)
        {
            return p > 0 ? "<0.001%" : ">−0.001%";
        }

        string f = a >= 10 ? "0.0" : a >= 1 ? "0.00" : "0.000";
        return p.ToString(f, Inv) + "%";
    }

    /// <summary>A plain number (counts, multipliers, parameter values).</summary>
    public static string Num(double x) => x.ToString("G6", Inv);

    /// <summary>Whole number with thousands separators.</summary>
    public static string Int(long x) => x.ToString("N0", Inv);

    /// <summary>Simulated seconds as hours.</summary>
    public static string Hours(double seconds) => (seconds / 3600).ToString("0.#", Inv) + " h";
}
