namespace Solvent.Core.Math;

/// <summary>Every fixed-point precision used by the engine, named once.</summary>
public static class Precision
{
    /// <summary>Ray: 1e27, precision of interest indexes and per-year rates (Aave's <c>WadRayMath.RAY</c>).</summary>
    public static readonly UInt128 Ray = UInt128.Parse("1000000000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Half a ray, for Aave-compatible half-up rounding.</summary>
    public static readonly UInt128 HalfRay = Ray / 2;

    /// <summary>Wad: 1e18, precision of health factors.</summary>
    public const long Wad = 1_000_000_000_000_000_000;

    /// <summary>Parts per million: precision of weights, penalties, shares and margin fractions (1_000_000 = 100%).</summary>
    public const long Ppm = 1_000_000;

    /// <summary>Decimals of an oracle price: USD per whole unit of an asset, times 1e8 (Chainlink convention).</summary>
    public const int PriceDecimals = 8;

    /// <summary>Decimals of a value: USD times 1e6 (aligned with a 6-decimal settlement stablecoin's quantum).</summary>
    public const int ValueDecimals = 6;

    /// <summary>Seconds per year used for rate conversions (365 days, as Aave).</summary>
    public const long SecondsPerYear = 365L * 24 * 3600;

    /// <summary>Largest decimal exponent kept in <see cref="Pow10"/>.</summary>
    public const int MaxPow10 = 38;

    private static readonly UInt128[] Pow10Table = BuildPow10();

    /// <summary>10^n for 0 ≤ n ≤ 38.</summary>
    public static UInt128 Pow10(int n) => Pow10Table[n];

    private static UInt128[] BuildPow10()
    {
        var t = new UInt128[MaxPow10 + 1];
        t[0] = 1;
        for (int i = 1; i <= MaxPow10; i++)
        {
            t[i] = t[i - 1] * 10;
        }

        return t;
    }
}
