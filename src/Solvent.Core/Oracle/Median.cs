namespace Solvent.Core.Oracle;

/// <summary>Median of a small set of integers (reports from at most 32 publishers), deterministic.</summary>
public static class Median
{
    /// <summary>
    /// Sorts <paramref name="values"/> in place (insertion sort: n ≤ 32) and returns the middle value; for an
    /// even count, the mean of the two middle values rounded down.
    /// </summary>
    public static long Of(Span<long> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(values));
        }

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

        int mid = values.Length / 2;
        if ((values.Length & 1) == 1)
        {
            return values[mid];
        }

        // Overflow-free floor((a + b) / 2) for positive values.
        long a = values[mid - 1], b = values[mid];
        return a + ((b - a) / 2);
    }
}
