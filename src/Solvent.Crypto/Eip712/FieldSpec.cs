namespace Solvent.Crypto;

/// <summary>One field of a signed action's EIP-712 struct.</summary>
/// <param name="Name">Wire and EIP-712 member name (camelCase).</param>
/// <param name="Kind">EIP-712 type.</param>
/// <param name="Max">Largest accepted value for unsigned kinds (tighter than the type when Core needs it, e.g. ids that must fit an <c>int</c>); ignored for the others.</param>
public sealed record FieldSpec(string Name, FieldKind Kind, UInt128 Max)
{
    /// <summary>The Solidity type name used in <c>encodeType</c> and <c>eth_signTypedData_v4</c>.</summary>
    public string SolidityType => Kind switch
    {
        FieldKind.Address => "address",
        FieldKind.Bool => "bool",
        FieldKind.Uint8 => "uint8",
        FieldKind.Uint32 => "uint32",
        FieldKind.Uint64 => "uint64",
        FieldKind.Int64 => "int64",
        _ => "uint128",
    };
}
