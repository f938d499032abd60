namespace Solvent.Core.Oracle;

/// <summary>
/// Medians of a small set of integers (reports from at most 32 publishers), deterministic. An even count
/// never averages the two middle values: with half the reports from liars, the mean of a lying and an
/// honest middle value lands wherever the liars want between them, so every choice here returns one
/// reported value (docs/risk-model.md, "Median").
/// </summary>
public static class Median
{
    /// <summary>Sorts <paramref name="values"/> in place, ascending (insertion sort: n ≤ 32).</summary>
    public static void Sort(Span<long> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            long v = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > v)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = v;
        }
    }

    /// <summary>Sorts <paramref name="values"/> and returns the middle value; for an even count, the lower of the two middle values.</summary>
    public static long Of(Span<long> values)
    {
        Sorted(values);
        return values[(values.Length - 1) / 2];
    }

    /// <summary>Sorts <paramref name="values"/> and returns the middle value; for an even count, the upper of the two middle values.</summary>
    public static long Upper(Span<long> values)
    {
        Sorted(values);
        return values[values.Length / 2];
    }

    /// <summary>
    /// Sorts <paramref name="values"/> and returns the middle value; for an even count, whichever of the two
    /// middle values is nearer <paramref name="anchor"/> (the lower on a tie), so the aggregate moves the
    /// least the honest reports allow.
    /// </summary>
    public static long NearestTo(Span<long> values, long anchor)
    {
        Sorted(values);
        int mid = values.Length / 2;
        if ((values.Length & 1) == 1)
        {
            return values[mid];
        }

        long lo = values[mid - 1], hi = values[mid];

        return Int128.Abs((Int128)hi - anchor) < Int128.Abs((Int128)lo - anchor) ? hi : lo;
    }

    private static void Sorted(Span<long> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        Sort(values);
    }
}
