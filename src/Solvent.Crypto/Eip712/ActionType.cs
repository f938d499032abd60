using System.Text;
using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Crypto;

/// <summary>Builds a Core action from decoded fields and the recovered signer.</summary>
public delegate EngineAction BuildAction(FieldReader fields, Address signer);

/// <summary>Writes a Core action's fields (everything but the nonce) in schema order.</summary>
public delegate void WriteAction(EngineAction action, FieldWriter fields);

/// <summary>
/// One signable action: its EIP-712 struct name and fields (the last is always <c>uint64 nonce</c>),
/// the Core record it maps to, and the precomputed type hash.
/// </summary>
public sealed class ActionType
{
    internal ActionType(string name, Type clrType, FieldSpec[] fields, BuildAction build, WriteAction write)
    {
        Name = name;
        ClrType = clrType;
        Fields = fields;
        Build = build;
        Write = write;
        Utf8Name = Encoding.UTF8.GetBytes(name);
        Utf8FieldNames = Array.ConvertAll(fields, f => Encoding.UTF8.GetBytes(f.Name));
        var sb = new StringBuilder(name).Append('(');
        for (int i = 0; i < fields.Length; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append(fields[i].SolidityType).Append(' ').Append(fields[i].Name);
        }

        EncodedType = sb.Append(')').ToString();
        TypeHash = Keccak256.Hash(Encoding.UTF8.GetBytes(EncodedType));
    }

    /// <summary>EIP-712 primary type name, also the wire <c>type</c> (e.g. "Deposit").</summary>
    public string Name { get; }

    /// <summary>The Core record this type decodes to.</summary>
    public Type ClrType { get; }

    /// <summary>Fields in encoding order; the last is <c>nonce</c>.</summary>
    public IReadOnlyList<FieldSpec> Fields { get; }

    /// <summary>EIP-712 <c>encodeType</c>, e.g. "Deposit(address owner,uint32 subaccount,…,uint64 nonce)".</summary>
    public string EncodedType { get; }

    /// <summary>keccak256(<see cref="EncodedType"/>).</summary>
    public byte[] TypeHash { get; }

    /// <summary>Index of the nonce field (always the last).</summary>
    public int NonceField => Fields.Count - 1;

    internal BuildAction Build { get; }

    internal WriteAction Write { get; }

    internal byte[] Utf8Name { get; }

    internal byte[][] Utf8FieldNames { get; }

    /// <summary>hashStruct = keccak256(typeHash ‖ 32-byte word of each field).</summary>
    internal void StructHash(ReadOnlySpan<byte> words, Span<byte> output) => Keccak256.Hash(TypeHash, words[..(Fields.Count * 32)], output);
}
