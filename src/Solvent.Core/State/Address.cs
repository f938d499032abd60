using System.Globalization;

namespace Solvent.Core.State;

/// <summary>A 20-byte Ethereum-style account address, compared and ordered by its bytes.</summary>
public readonly record struct Address(ulong Hi, ulong Mid, uint Lo) : IComparable<Address>
{
    /// <summary>The all-zero address.</summary>
    public static readonly Address Zero;

    /// <summary>Parses "0x" followed by 40 hex digits (any case).</summary>
    public static bool TryParse(string? text, out Address address)
    {
        address = default;
        if (text is null || text.Length != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        {
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan(2);
        if (!ulong.TryParse(s[..16], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hi)
            || !ulong.TryParse(s[16..32], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mid)
            || !uint.TryParse(s[32..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint lo))
        {
            return false;
        }

        address = new Address(hi, mid, lo);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static Address Parse(string text) =>
        TryParse(text, out Address a) ? a : throw new FormatException($"'{text}' is not a 0x-prefixed 20-byte address");

    /// <summary>Builds an address from 20 big-endian bytes.</summary>
    public static Address FromBytes(ReadOnlySpan<byte> b) =>
        new(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b[8..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b[16..]));

    /// <summary>Writes the 20 big-endian bytes.</summary>
    public void WriteBytes(Span<byte> b)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, Hi);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b[8..], Mid);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b[16..], Lo);
    }

    /// <summary>Field-wise equality (faster than the record default on the account-lookup path).</summary>
    public bool Equals(Address other) => Hi == other.Hi && Mid == other.Mid && Lo == other.Lo;

    /// <summary>A multiplicative mix of the three fields; used for dictionary lookup only, never for state.</summary>
    public override int GetHashCode()
    {
        // Wrapping multiplication is the point of the mix.
        ulong h = unchecked((Hi * 0x9E3779B97F4A7C15UL) ^ (Mid * 0xC2B2AE3D27D4EB4FUL) ^ (Lo * 0x165667B19E3779F9UL));
        return unchecked((int)(h ^ (h >> 32)));
    }

    /// <inheritdoc />
    public int CompareTo(Address other)
    {
        int c = Hi.CompareTo(other.Hi);
        if (c != 0)
        {
            return c;
        }

        c = Mid.CompareTo(other.Mid);
        return c != 0 ? c : Lo.CompareTo(other.Lo);
    }

    /// <summary>Lower-case 0x hex form.</summary>
    public override string ToString() => $"0x{Hi:x16}{Mid:x16}{Lo:x8}";
}
