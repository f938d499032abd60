using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Node.Web;

/// <summary>One point of a pool's rate curve: utilization and per-year rates as fractions, with the rays they come from.</summary>
public sealed record RatePoint(double Utilization, double Borrow, double Supply, string UtilizationRay, string BorrowRay, string SupplyRay);

/// <summary>A pool's borrow and supply rates over utilization 0..100 % (from the pool's own rate model) and where it is now.</summary>
public sealed record RateCurve(long Height, string Asset, double Utilization, double Borrow, double Supply, IReadOnlyList<RatePoint> Points)
{
    /// <summary>Points per curve: every percent from 0 to 100.</summary>
    public const int Steps = 100;

    /// <summary>Reads the curve of <paramref name="pool"/> (on the sequencer thread: the pool's rate model and utilization are live state).</summary>
    public static RateCurve Of(AssetPool pool, long height)
    {
        var points = new RatePoint[Steps + 1];
        for (int i = 0; i <= Steps; i++)
        {
            UInt128 u = Precision.Ray * (uint)i / Steps;
            (UInt128 borrow, UInt128 supply) = pool.RatesAt(u);
            points[i] = Point(u, borrow, supply);
        }

        UInt128 now = pool.Utilization;
        (UInt128 b, UInt128 s) = pool.CurrentRates();
        return new RateCurve(height, pool.Config.Symbol, Fraction(now), Fraction(b), Fraction(s), points);
    }

    private static RatePoint Point(UInt128 u, UInt128 b, UInt128 s) =>
        new(Fraction(u), Fraction(b), Fraction(s), u.ToString(System.Globalization.CultureInfo.InvariantCulture), b.ToString(System.Globalization.CultureInfo.InvariantCulture), s.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static double Fraction(UInt128 ray) => (double)ray / 1e27;
}
