namespace Solvent.Crypto;

/// <summary>The EIP-712 atomic types Solvent's actions use; each encodes as one 32-byte word.</summary>
public enum FieldKind
{
    /// <summary><c>address</c>: 0x + 40 hex digits on the wire.</summary>
    Address,

    /// <summary><c>bool</c>: JSON true/false.</summary>
    Bool,

    /// <summary><c>uint8</c>.</summary>
    Uint8,

    /// <summary><c>uint32</c>.</summary>
    Uint32,

    /// <summary><c>uint64</c>.</summary>
    Uint64,

    /// <summary><c>int64</c>.</summary>
    Int64,

    /// <summary><c>uint128</c>.</summary>
    Uint128,
}
