using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>How value enters the venue when a settlement section is present.</summary>
public enum CustodyMode
{
    /// <summary>Value enters only through bridged deposits sequenced from a vault's events; signed deposits are refused.</summary>
    Bridged = 0,

    /// <summary>Signed deposits also credit (development and tests only: nothing on a chain backs them).</summary>
    Declared = 1,
}

/// <summary>One token a vault holds and the Solvent asset it maps to (1 token unit = 1 quantum).</summary>
/// <param name="Asset">Dense asset id.</param>
/// <param name="Token">The ERC-20 contract on that chain.</param>
public sealed record SettlementToken(int Asset, Address Token);

/// <summary>A vault chain: its EVM chain id, vault address, confirmations the bridge waits for, and its tokens.</summary>
/// <param name="ChainId">EVM chain id of the vault's chain.</param>
/// <param name="Vault">The vault contract.</param>
/// <param name="Confirmations">Blocks a log must be buried under before the bridge sequences it.</param>
/// <param name="Tokens">Tokens the vault accepts, each a distinct asset.</param>
public sealed record SettlementChain(long ChainId, Address Vault, int Confirmations, IReadOnlyList<SettlementToken> Tokens)
{
    /// <summary>The token mapped to <paramref name="asset"/> on this chain, or null.</summary>
    public Address? TokenOf(int asset)
    {
        foreach (SettlementToken t in Tokens)
        {
            if (t.Asset == asset)
            {
                return t.Token;
            }
        }

        return null;
    }

    /// <summary>Position of <paramref name="token"/> in <see cref="Tokens"/>, or -1.</summary>
    public int IndexOfToken(Address token)
    {
        for (int i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i].Token == token)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Position of the token of <paramref name="asset"/> in <see cref="Tokens"/>, or -1.</summary>
    public int IndexOfAsset(int asset)
    {
        for (int i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i].Asset == asset)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// Genesis <c>settlement</c>: the vault chains that hold the venue's value, the validators who sign
/// attestations of its roots and the escape-hatch timing (see docs/settlement.md). Chains are kept in
/// ascending chain id order.
/// </summary>
public sealed record SettlementConfig
{
    /// <summary>Whether signed deposits credit (declared) or only bridged ones (bridged).</summary>
    public required CustodyMode Custody { get; init; }

    /// <summary>Addresses whose attestation signatures count, ascending.</summary>
    public required IReadOnlyList<Address> Validators { get; init; }

    /// <summary>Signatures an attestation needs.</summary>
    public required int Threshold { get; init; }

    /// <summary>Seconds a forced-withdrawal request may wait before anyone may freeze the vault.</summary>
    public required long ForcedDeadlineSeconds { get; init; }

    /// <summary>A commitment (roots and attestation) is made every this many blocks.</summary>
    public required long CommitEveryBlocks { get; init; }

    /// <summary>Vault chains in ascending chain id order.</summary>
    public required IReadOnlyList<SettlementChain> Chains { get; init; }

    /// <summary>Index of chain <paramref name="chainId"/> in <see cref="Chains"/>, or -1.</summary>
    public int IndexOfChain(long chainId)
    {
        for (int i = 0; i < Chains.Count; i++)
        {
            if (Chains[i].ChainId == chainId)
            {
                return i;
            }
        }

        return -1;
    }
}
