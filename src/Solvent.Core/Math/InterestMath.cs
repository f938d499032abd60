namespace Solvent.Core.Math;

/// <summary>
/// Interest accrual exactly as Aave's <c>MathUtils</c>: the borrow index compounds with a three-term
/// binomial expansion of (1 + r/T)^t, the supply index grows linearly. Rates are per-year rays.
/// </summary>
public static class InterestMath
{
    /// <summary>
    /// Compounded factor over <paramref name="seconds"/>: RAY + r·t + t(t−1)·r²/2 + t(t−1)(t−2)·r³/6,
    /// with r the per-second rate (floor of the yearly rate / seconds per year) and powers taken with
    /// half-up <c>rayMul</c>, as Aave does. 4% for one year gives 1.040810454360354976032448000.
    /// </summary>
    public static UInt128 CompoundedFactor(UInt128 ratePerYear, long seconds)
    {
        if (seconds <= 0)
        {
            return Precision.Ray;
        }

        UInt128 t = (ulong)seconds;
        UInt128 rps = ratePerYear / (ulong)Precision.SecondsPerYear;
        UInt128 base2 = FullMath.MulDivRay(rps, rps, Rounding.HalfUp);
        UInt128 base3 = FullMath.MulDivRay(base2, rps, Rounding.HalfUp);
        UInt128 tm1 = t - 1;
        UInt128 tm2 = t > 2 ? t - 2 : 0;
        UInt128 second = checked(t * tm1 * base2) / 2;
        UInt128 third = checked(t * tm1 * tm2 * base3) / 6;
        return checked(Precision.Ray + (rps * t) + second + third);
    }

    /// <summary>Linear factor RAY + r·t / seconds-per-year (floor), as Aave's <c>calculateLinearInterest</c>.</summary>
    public static UInt128 LinearFactor(UInt128 ratePerYear, long seconds)
    {
        if (seconds <= 0)
        {
            return Precision.Ray;
        }

        return checked(Precision.Ray + (ratePerYear * (ulong)seconds / (ulong)Precision.SecondsPerYear));
    }
}
