using System.Globalization;

namespace Solvent.Core.Math;

/// <summary>
/// Human decimal strings ("1234.5678", "-0.5") to and from scaled integers, exactly. JSON carries
/// amounts as strings so no client ever loses precision to a double.
/// </summary>
public static class DecimalString
{
    /// <summary>Parses <paramref name="text"/> into an integer scaled by 10^<paramref name="decimals"/>; false with a reason when malformed, over-precise or out of range.</summary>
    public static bool TryParse(string? text, int decimals, out Int128 value, out string error)
    {
        value = 0;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "expected a decimal string";
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        bool negative = false;
        if (s[0] == '-' || s[0] == '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        int dot = s.IndexOf('.');
        ReadOnlySpan<char> whole = dot < 0 ? s : s[..dot];
        ReadOnlySpan<char> frac = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.Length == 0 && frac.Length == 0)
        {
            error = $"'{text}' is not a decimal number";
            return false;
        }

        foreach (char c in whole)
        {
            if (c is < '0' or > '9')
            {
                error = $"'{text}' is not a decimal number";
                return false;
            }
        }

        foreach (char c in frac)
        {
            if (c is < '0' or > '9')
            {
                error = $"'{text}' is not a decimal number";
                return false;
            }
        }

        // Trailing zeros beyond the precision are harmless; any other digit would be silently dropped.
        int significantFrac = frac.Length;
        while (significantFrac > decimals && frac[significantFrac - 1] == '0')
        {
            significantFrac--;
        }

        if (significantFrac > decimals)
        {
            error = $"'{text}' has more than {decimals} decimal places";
            return false;
        }

        try
        {
            Int128 acc = 0;
            foreach (char c in whole)
            {
                acc = checked((acc * 10) + (c - '0'));
            }

            for (int i = 0; i < decimals; i++)
            {
                int digit = i < significantFrac ? frac[i] - '0' : 0;
                acc = checked((acc * 10) + digit);
            }

            value = negative ? -acc : acc;
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large";
            return false;
        }
    }

    /// <summary>Parses into a <see cref="long"/>; false when it does not fit.</summary>
    public static bool TryParseLong(string? text, int decimals, out long value, out string error)
    {
        value = 0;
        if (!TryParse(text, decimals, out Int128 v, out error))
        {
            return false;
        }

        if (v > long.MaxValue || v < long.MinValue)
        {
            error = $"'{text}' is too large";
            return false;
        }

        value = (long)v;
        return true;
    }

    /// <summary>Formats a scaled integer as a decimal string without trailing fractional zeros.</summary>
    public static string Format(Int128 value, int decimals)
    {
        bool negative = value < 0;
        UInt128 abs = negative ? (UInt128)(-(value + 1)) + 1 : (UInt128)value;
        return Format(abs, decimals, negative);
    }

    /// <summary>
    /// Writes what <see cref="Format(Int128, int)"/> returns as UTF-8 into <paramref name="destination"/>
    /// (at least 80 bytes) without allocating; returns the number of bytes written.
    /// </summary>
    public static int FormatUtf8(Int128 value, int decimals, Span<byte> destination)
    {
        bool negative = value < 0;
        UInt128 abs = negative ? (UInt128)(-(value + 1)) + 1 : (UInt128)value;
        Span<byte> digits = stackalloc byte[40];
        abs.TryFormat(digits, out int n, default, CultureInfo.InvariantCulture);
        int pos = 0;
        if (negative && abs != 0)
        {
            destination[pos++] = (byte)'-';
        }

        // As Format: pad with zeros to at least one whole digit, then drop the fraction's trailing zeros.
        int padding = System.Math.Max(0, decimals + 1 - n);
        int length = n + padding;
        int wholeLength = length - decimals;
        for (int i = 0; i < wholeLength; i++)
        {
            destination[pos++] = i < padding ? (byte)'0' : digits[i - padding];
        }

        int fracEnd = length;
        while (fracEnd > wholeLength && (fracEnd - 1 < padding ? (byte)'0' : digits[fracEnd - 1 - padding]) == (byte)'0')
        {
            fracEnd--;
        }

        if (fracEnd > wholeLength)
        {
            destination[pos++] = (byte)'.';
            for (int i = wholeLength; i < fracEnd; i++)
            {
                destination[pos++] = i < padding ? (byte)'0' : digits[i - padding];
            }
        }

        return pos;
    }

    /// <summary>Formats an unsigned scaled integer.</summary>
    public static string Format(UInt128 abs, int decimals, bool negative = false)
    {
        string digits = abs.ToString(CultureInfo.InvariantCulture);
        if (decimals > 0)
        {
            digits = digits.PadLeft(decimals + 1, '0');
            string whole = digits[..^decimals];
            string frac = digits[^decimals..].TrimEnd('0');
            digits = frac.Length == 0 ? whole : whole + "." + frac;
        }

        return negative && abs != 0 ? "-" + digits : digits;
    }
}
