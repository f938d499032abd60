using System.Buffers.Binary;
using System.Text;

namespace Solvent.Core.State;

/// <summary>Where canonical bytes go: a hash function, a buffer, a file.</summary>
public interface IByteSink
{
    /// <summary>Consumes the next bytes of the encoding.</summary>
    void Append(ReadOnlySpan<byte> bytes);
}

/// <summary>
/// The canonical binary encoding of state: big-endian fixed-width integers, length-prefixed UTF-8
/// strings, fields in declaration order. Core defines the bytes; hashing them is the caller's choice.
/// </summary>
public sealed class CanonicalWriter(IByteSink sink)
{
    private readonly byte[] _buffer = new byte[4096];
    private int _pos;

    /// <summary>Writes a signed 64-bit integer.</summary>
    public void WriteI64(long v)
    {
        Reserve(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_pos), v);
        _pos += 8;
    }

    /// <summary>Writes an unsigned 128-bit integer.</summary>
    public void WriteU128(UInt128 v)
    {
        Reserve(16);
        BinaryPrimitives.WriteUInt128BigEndian(_buffer.AsSpan(_pos), v);
        _pos += 16;
    }

    /// <summary>Writes a signed 128-bit integer (two's complement).</summary>
    public void WriteI128(Int128 v) => WriteU128(unchecked((UInt128)v));

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte v)
    {
        Reserve(1);
        _buffer[_pos++] = v;
    }

    /// <summary>Writes a boolean as one byte.</summary>
    public void WriteBool(bool v) => WriteByte(v ? (byte)1 : (byte)0);

    /// <summary>Writes a 20-byte address.</summary>
    public void WriteAddress(Address a)
    {
        Reserve(20);
        a.WriteBytes(_buffer.AsSpan(_pos, 20));
        _pos += 20;
    }

    /// <summary>Writes a length-prefixed UTF-8 string.</summary>
    public void WriteString(string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        WriteI64(bytes.Length);
        Flush();
        sink.Append(bytes);
    }

    /// <summary>Pushes buffered bytes to the sink; call once at the end.</summary>
    public void Flush()
    {
        if (_pos > 0)
        {
            sink.Append(_buffer.AsSpan(0, _pos));
            _pos = 0;
        }
    }

    private void Reserve(int n)
    {
        if (_pos + n > _buffer.Length)
        {
            Flush();
        }
    }
}
