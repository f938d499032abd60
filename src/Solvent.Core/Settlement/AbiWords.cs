using System.Buffers.Binary;
using Solvent.Core.State;

namespace Solvent.Core.Settlement;

/// <summary>Static <c>abi.encode</c> words (32 bytes each, big-endian, left-padded): all the settlement leaves need.</summary>
public static class AbiWords
{
    /// <summary>An unsigned integer word.</summary>
    public static void Uint(Span<byte> word, ulong v)
    {
        word[..32].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(word[24..], v);
    }

    /// <summary>An unsigned 128-bit integer word.</summary>
    public static void Uint(Span<byte> word, UInt128 v)
    {
        word[..32].Clear();
        BinaryPrimitives.WriteUInt128BigEndian(word[16..], v);
    }

    /// <summary>An address word.</summary>
    public static void Addr(Span<byte> word, Address a)
    {
        word[..12].Clear();
        a.WriteBytes(word[12..]);
    }
}
