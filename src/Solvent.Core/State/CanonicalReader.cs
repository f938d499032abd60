using System.Buffers.Binary;
using System.Text;

namespace Solvent.Core.State;

/// <summary>Reads the encoding <see cref="CanonicalWriter"/> writes; truncated or malformed input throws <see cref="InvalidSnapshotException"/>.</summary>
public ref struct CanonicalReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _pos;

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _bytes.Length - _pos;

    /// <summary>Reads a signed 64-bit integer.</summary>
    public long ReadI64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    /// <summary>Reads an unsigned 128-bit integer.</summary>
    public UInt128 ReadU128() => BinaryPrimitives.ReadUInt128BigEndian(Take(16));

    /// <summary>Reads a signed 128-bit integer.</summary>
    public Int128 ReadI128() => unchecked((Int128)ReadU128());

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a boolean byte (0 or 1).</summary>
    public bool ReadBool() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw new InvalidSnapshotException($"byte {_pos - 1}: {b} is not a boolean"),
    };

    /// <summary>Reads a 20-byte address.</summary>
    public Address ReadAddress() => Address.FromBytes(Take(20));

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string ReadString()
    {
        long n = ReadI64();
        if (n < 0 || n > Remaining)
        {
            throw new InvalidSnapshotException($"byte {_pos - 8}: string length {n} out of range");
        }

        return Encoding.UTF8.GetString(Take((int)n));
    }

    /// <summary>Reads a count that must lie in [0, max].</summary>
    public int ReadCount(long max, string what)
    {
        long n = ReadI64();
        if (n < 0 || n > max)
        {
            throw new InvalidSnapshotException($"byte {_pos - 8}: {what} count {n} out of range (at most {max})");
        }

        return (int)n;
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (_pos + n > _bytes.Length)
        {
            throw new InvalidSnapshotException($"snapshot truncated at byte {_pos} (needed {n} more)");
        }

        ReadOnlySpan<byte> s = _bytes.Slice(_pos, n);
        _pos += n;
        return s;
    }
}
