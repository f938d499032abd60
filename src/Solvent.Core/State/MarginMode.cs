namespace Solvent.Core.State;

/// <summary>How a subaccount's balances net.</summary>
public enum MarginMode : byte
{
    /// <summary>Every balance (and later every position) in the subaccount nets into one health figure.</summary>
    Cross = 0,

    /// <summary>Own collateral and a single exposure (one borrowed asset); its losses never reach the owner's other subaccounts.</summary>
    Isolated = 1,
}
