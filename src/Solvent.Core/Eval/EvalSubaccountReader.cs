using System.Text.Json;
using Solvent.Core.Config;
using Solvent.Core.Math;
using Solvent.Core.Perps;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>
/// Reads a well-formed request subaccount straight from the UTF-8 reader into an
/// <see cref="EvalSubaccountTable"/>, with no document tree, strings or paths. It accepts only what it
/// can read to exactly the values the field reader would give; on anything else (an error, an escaped
/// or non-ASCII name, a repeated field, whitespace in a number, a value near the integer range) it
/// gives up and the caller reads the entry with the field reader, which words every message.
/// </summary>
internal sealed class EvalSubaccountReader
{
    private readonly byte[]?[] _assetSymbols;
    private readonly int[] _assetDecimals;
    private readonly byte[]?[] _marketSymbols;
    private readonly int[] _marketBaseDecimals;
    private readonly bool[] _seenAssets;
    private readonly bool[] _seenMarkets;

    public EvalSubaccountReader(Genesis g)
    {
        _assetSymbols = g.Assets.Select(a => AsciiUpper(a.Symbol)).ToArray();
        _assetDecimals = g.Assets.Select(a => a.QuantumDecimals).ToArray();
        _marketSymbols = g.Markets.Select(m => AsciiUpper(m.Symbol)).ToArray();
        _marketBaseDecimals = g.Markets.Select(m => g.Assets[m.BaseAsset].QuantumDecimals).ToArray();
        _seenAssets = new bool[_assetSymbols.Length];
        _seenMarkets = new bool[_marketSymbols.Length];
    }

    /// <summary>
    /// Reads the value at the reader (positioned on its first token) into a new row of
    /// <paramref name="table"/> and leaves the reader on its last token; false when the entry needs the
    /// field reader (the caller rewinds the reader and discards the row).
    /// </summary>
    public bool TryRead(ref Utf8JsonReader reader, EvalSubaccountTable table)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Address owner = default;
        uint number = 0;
        MarginMode mode = MarginMode.Cross;
        bool hasOwner = false, hasNumber = false, hasMode = false, hasBalances = false, hasPositions = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("owner"u8))
            {
                if (hasOwner || !reader.Read() || !TryAddress(ref reader, out owner))
                {
                    return false;
                }

                hasOwner = true;
            }
            else if (reader.ValueTextEquals("number"u8))
            {
                if (hasNumber || !reader.Read() || !TryNumber(ref reader, out number))
                {
                    return false;
                }

                hasNumber = true;
            }
            else if (reader.ValueTextEquals("mode"u8))
            {
                if (hasMode || !reader.Read())
                {
                    return false;
                }

                hasMode = true;
                if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("isolated"u8))
                {
                    mode = MarginMode.Isolated;
                }
                else if (reader.TokenType != JsonTokenType.Null && !(reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("cross"u8)))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("balances"u8))
            {
                if (hasBalances || !reader.Read() || !TryBalances(ref reader, table))
                {
                    return false;
                }

                hasBalances = true;
            }
            else if (reader.ValueTextEquals("positions"u8))
            {
                if (hasPositions || !reader.Read() || !TryPositions(ref reader, table))
                {
                    return false;
                }

                hasPositions = true;
            }
            else
            {
                // Other fields are not read by the field reader either.
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasOwner || !hasBalances)
        {
            return false;
        }

        table.EndRow(new AccountKey(owner, number), mode);
        return true;
    }

    private static bool TryAddress(ref Utf8JsonReader reader, out Address address)
    {
        address = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        ReadOnlySpan<byte> s = reader.ValueSpan;
        if (s.Length != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')
            || !TryHex(s.Slice(2, 16), out ulong hi) || !TryHex(s.Slice(18, 16), out ulong mid) || !TryHex(s.Slice(34, 8), out ulong lo))
        {
            return false;
        }

        address = new Address(hi, mid, (uint)lo);
        return true;
    }

    private static bool TryHex(ReadOnlySpan<byte> s, out ulong value)
    {
        value = 0;
        foreach (byte c in s)
        {
            uint d = c >= '0' && c <= '9' ? (uint)(c - '0') : (c | 0x20) is >= 'a' and <= 'f' ? (uint)((c | 0x20) - 'a' + 10) : 16;
            if (d > 15)
            {
                return false;
            }

            value = (value << 4) | d;
        }

        return true;
    }

    private static bool TryNumber(ref Utf8JsonReader reader, out uint number)
    {
        number = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || reader.ValueSpan.Length > 10)
        {
            return false;
        }

        ulong n = 0;
        foreach (byte c in reader.ValueSpan)
        {
            if (unchecked((uint)(c - '0')) > 9)
            {
                return false;
            }

            n = (n * 10) + (uint)(c - '0');
        }

        if (n > uint.MaxValue)
        {
            return false;
        }

        number = (uint)n;
        return true;
    }

    private bool TryBalances(ref Utf8JsonReader reader, EvalSubaccountTable table)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Array.Clear(_seenAssets);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int a = Find(ref reader, _assetSymbols);
            if (a < 0 || _seenAssets[a] || !reader.Read() || !TryDecimal(ref reader, _assetDecimals[a], long.MinValue / 2, long.MaxValue / 2, out long amount))
            {
                return false;
            }

            _seenAssets[a] = true;
            table.AddBalance(a, amount);
        }

        return true;
    }

    private bool TryPositions(ref Utf8JsonReader reader, EvalSubaccountTable table)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Array.Clear(_seenMarkets);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int m = Find(ref reader, _marketSymbols);
            if (m < 0 || _seenMarkets[m] || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            _seenMarkets[m] = true;
            int qd = _marketBaseDecimals[m];
            long size = 0, entry = 0;
            bool hasSize = false, hasEntry = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("size"u8))
                {
                    if (hasSize || !reader.Read() || !TryDecimal(ref reader, qd, long.MinValue / 4, long.MaxValue / 4, out size))
                    {
                        return false;
                    }

                    hasSize = true;
                }
                else if (reader.ValueTextEquals("entryPrice"u8))
                {
                    if (hasEntry || !reader.Read() || !TryDecimal(ref reader, Precision.PriceDecimals, 1, long.MaxValue / 1000, out entry))
                    {
                        return false;
                    }

                    hasEntry = true;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!hasSize || !hasEntry)
            {
                return false;
            }

            // As the field reader: quote = −⌊size × entry / 10^(qd + price − value decimals)⌋.
            long divisor = (long)Precision.Pow10(qd + Precision.PriceDecimals - Precision.ValueDecimals);
            Int128 quote = -FundingMath.FloorDiv((Int128)size * entry, divisor);
            if (size == 0 || quote > long.MaxValue / 4 || quote < long.MinValue / 4)
            {
                return false;
            }

            table.AddPosition(m, size, (long)quote);
        }

        return true;
    }

    // Index of the symbol the property name at the reader matches (ASCII, case-insensitively, as
    // OrdinalIgnoreCase does for ASCII), or −1; escaped and non-ASCII names are left to the field reader.
    private static int Find(ref Utf8JsonReader reader, byte[]?[] symbols)
    {
        if (reader.ValueIsEscaped)
        {
            return -1;
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        for (int i = 0; i < symbols.Length; i++)
        {
            byte[]? s = symbols[i];
            if (s is null || s.Length != name.Length)
            {
                continue;
            }

            int k = 0;
            while (k < s.Length && Upper(name[k]) == s[k])
            {
                k++;
            }

            if (k == s.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte Upper(byte c) => c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 32) : c;

    private static byte[]? AsciiUpper(string symbol)
    {
        var bytes = new byte[symbol.Length];
        for (int i = 0; i < symbol.Length; i++)
        {
            if (symbol[i] > 0x7F)
            {
                return null;
            }

            bytes[i] = Upper((byte)symbol[i]);
        }

        return bytes;
    }

    /// <summary>
    /// A decimal string as <see cref="DecimalString.TryParseLong"/> reads it, for the plain form only:
    /// optional sign, digits, optional point and digits, at most 19 digits once scaled, within [min, max].
    /// </summary>
    private static bool TryDecimal(ref Utf8JsonReader reader, int decimals, long min, long max, out long value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        ReadOnlySpan<byte> s = reader.ValueSpan;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            i = 1;
        }

        ulong acc = 0;
        int digits = 0, whole = 0;
        for (; i < s.Length && s[i] != '.'; i++)
        {
            uint d = unchecked((uint)(s[i] - '0'));
            if (d > 9 || ++digits > 19)
            {
                return false;
            }

            acc = (acc * 10) + d;
            whole++;
        }

        int fracStart = i + 1, fracLength = System.Math.Max(0, s.Length - fracStart);
        if (whole == 0 && fracLength == 0)
        {
            return false;
        }

        for (int k = fracStart; k < s.Length; k++)
        {
            if (unchecked((uint)(s[k] - '0')) > 9)
            {
                return false;
            }
        }

        // Trailing zeros beyond the precision are dropped, as the field reader does; other digits are refused there.
        int significant = fracLength;
        while (significant > decimals && s[fracStart + significant - 1] == '0')
        {
            significant--;
        }

        if (significant > decimals || digits + decimals > 19)
        {
            return false;
        }

        for (int k = 0; k < decimals; k++)
        {
            acc = (acc * 10) + (k < significant ? (uint)(s[fracStart + k] - '0') : 0);
        }

        Int128 v = negative ? -(Int128)acc : acc;
        if (v < min || v > max)
        {
            return false;
        }

        value = (long)v;
        return true;
    }
}
