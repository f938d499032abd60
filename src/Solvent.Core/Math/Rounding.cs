namespace Solvent.Core.Math;

/// <summary>Direction of every integer division in the engine. Callers choose the one that favours the protocol.</summary>
public enum Rounding : byte
{
    /// <summary>Toward zero for non-negative results (collateral, payouts).</summary>
    Down = 0,

    /// <summary>Away from zero for non-negative results (debt, margin requirements, fees owed).</summary>
    Up = 1,

    /// <summary>Half away from zero; used only where a published reference (Aave's <c>rayMul</c>) does so.</summary>
    HalfUp = 2,
}
