using System.Buffers.Binary;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>Writes an action's field values, in schema order, as 32-byte EIP-712 words.</summary>
public sealed class FieldWriter
{
    private readonly byte[] _words;
    private int _next;

    internal FieldWriter(byte[] words) => _words = words;

    internal int Count => _next;

    /// <summary>An <c>address</c>.</summary>
    public FieldWriter Address(Address a)
    {
        a.WriteBytes(Next()[12..]);
        return this;
    }

    /// <summary>An owner address then its <c>uint32</c> subaccount number (two fields).</summary>
    public FieldWriter Account(AccountKey k) => Address(k.Owner).U32(k.Number);

    /// <summary>A <c>bool</c>.</summary>
    public FieldWriter Bool(bool v)
    {
        Next()[31] = v ? (byte)1 : (byte)0;
        return this;
    }

    /// <summary>A <c>uint8</c> or <c>uint32</c>.</summary>
    public FieldWriter U32(uint v)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Next()[28..], v);
        return this;
    }

    /// <summary>A <c>uint32</c> id (must not be negative).</summary>
    public FieldWriter Id(int v) => U32(checked((uint)v));

    /// <summary>A <c>uint64</c>.</summary>
    public FieldWriter U64(ulong v)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Next()[24..], v);
        return this;
    }

    /// <summary>An <c>int64</c>, sign-extended to 256 bits as EIP-712 requires.</summary>
    public FieldWriter I64(long v)
    {
        Span<byte> w = Next();
        if (v < 0)
        {
            w[..24].Fill(0xFF);
        }

        BinaryPrimitives.WriteInt64BigEndian(w[24..], v);
        return this;
    }

    /// <summary>A <c>uint128</c>.</summary>
    public FieldWriter U128(UInt128 v)
    {
        BinaryPrimitives.WriteUInt128BigEndian(Next()[16..], v);
        return this;
    }

    private Span<byte> Next()
    {
        Span<byte> w = _words.AsSpan(_next * 32, 32);
        w.Clear();
        _next++;
        return w;
    }
}
