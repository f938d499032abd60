using System.Buffers.Binary;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>Reads decoded field values back out of their 32-byte EIP-712 words (already range-checked).</summary>
public readonly struct FieldReader
{
    private readonly byte[] _words;

    internal FieldReader(byte[] words) => _words = words;

    /// <summary>An <c>address</c> field.</summary>
    public Address Address(int field) => Core.State.Address.FromBytes(Word(field)[12..]);

    /// <summary>An owner address at <paramref name="field"/> followed by a <c>uint32</c> subaccount number.</summary>
    public AccountKey Account(int field) => new(Address(field), U32(field + 1));

    /// <summary>A <c>bool</c> field.</summary>
    public bool Bool(int field) => Word(field)[31] != 0;

    /// <summary>A <c>uint8</c>/<c>uint32</c> field.</summary>
    public uint U32(int field) => BinaryPrimitives.ReadUInt32BigEndian(Word(field)[28..]);

    /// <summary>A <c>uint32</c> id field whose spec caps it at <see cref="int.MaxValue"/>.</summary>
    public int Id(int field) => (int)U32(field);

    /// <summary>A <c>uint64</c> field.</summary>
    public ulong U64(int field) => BinaryPrimitives.ReadUInt64BigEndian(Word(field)[24..]);

    /// <summary>An <c>int64</c> field (its word is the sign-extended two's complement).</summary>
    public long I64(int field) => BinaryPrimitives.ReadInt64BigEndian(Word(field)[24..]);

    /// <summary>A <c>uint128</c> field.</summary>
    public UInt128 U128(int field) => BinaryPrimitives.ReadUInt128BigEndian(Word(field)[16..]);

    private ReadOnlySpan<byte> Word(int field) => _words.AsSpan(field * 32, 32);
}
