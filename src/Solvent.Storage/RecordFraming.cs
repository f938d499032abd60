using System.Buffers.Binary;
using System.IO.Hashing;

namespace Solvent.Storage;

/// <summary>
/// Frames a payload as a log record: 4-byte little-endian payload length, the payload, then an
/// 8-byte XxHash64 over length and payload together (so a flipped length bit is caught as well).
/// </summary>
public static class RecordFraming
{
    /// <summary>Bytes a record adds around its payload.</summary>
    public const int Overhead = 4 + 8;

    /// <summary>Largest payload accepted (a length above this on disk can only be corruption).</summary>
    public const int MaxPayload = 256 * 1024 * 1024;

    /// <summary>Length prefix + payload + checksum, ready to append.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload)
        {
            throw new ArgumentException($"record payload of {payload.Length} bytes exceeds {MaxPayload}", nameof(payload));
        }

        byte[] record = new byte[payload.Length + Overhead];
        BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
        payload.CopyTo(record.AsSpan(4));
        ulong sum = XxHash64.HashToUInt64(record.AsSpan(0, 4 + payload.Length));
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(4 + payload.Length), sum);
        return record;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>. Returns the record's total length, or
    /// -1 when the bytes are too short (torn) or the checksum does not match (corrupt).
    /// </summary>
    public static int TryRead(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (data.Length < Overhead)
        {
            return -1;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length < 0 || length > MaxPayload || length > data.Length - Overhead)
        {
            return -1;
        }

        ulong expected = BinaryPrimitives.ReadUInt64LittleEndian(data[(4 + length)..]);
        if (XxHash64.HashToUInt64(data[..(4 + length)]) != expected)
        {
            return -1;
        }

        payload = data.Slice(4, length);
        return length + Overhead;
    }
}
