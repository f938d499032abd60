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

        byte[] record = new byte[checked(payload.Length + Overhead)];
        payload.CopyTo(record.AsSpan(4));
        Seal(record);
        return record;
    }

    /// <summary>
    /// Frames in place: <paramref name="record"/> holds the payload at byte 4 and room for the checksum after
    /// it; writes the length prefix and the checksum.
    /// </summary>
    public static void Seal(Span<byte> record)
    {
        int payloadLength = record.Length - Overhead;
        if (payloadLength < 0 || payloadLength > MaxPayload)
        {
            throw new ArgumentException($"record payload of {payloadLength} bytes is outside 0–{MaxPayload}", nameof(record));
        }

        BinaryPrimitives.WriteInt32LittleEndian(record, payloadLength);
        ulong sum = XxHash64.HashToUInt64(record[..(4 + payloadLength)]);
        BinaryPrimitives.WriteUInt64LittleEndian(record[(4 + payloadLength)..], sum);
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
