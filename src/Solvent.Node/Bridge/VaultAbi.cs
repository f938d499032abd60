using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Solvent.Node.Bridge;

#pragma warning disable CS1591 // The ABI shapes mirror contracts/Vault.sol and TestToken.sol member for member.

/// <summary>Vault <c>Deposited</c>.</summary>
[Event("Deposited")]
public sealed class DepositedEvent : IEventDTO
{
    [Parameter("uint64", "depositId", 1, true)]
    public ulong DepositId { get; set; }

    [Parameter("address", "owner", 2, true)]
    public string Owner { get; set; } = "";

    [Parameter("uint32", "subaccount", 3, false)]
    public uint Subaccount { get; set; }

    [Parameter("address", "token", 4, true)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "amount", 5, false)]
    public BigInteger Amount { get; set; }
}

/// <summary>Vault <c>ForcedWithdrawalRequested</c>.</summary>
[Event("ForcedWithdrawalRequested")]
public sealed class ForcedWithdrawalRequestedEvent : IEventDTO
{
    [Parameter("uint64", "requestId", 1, true)]
    public ulong RequestId { get; set; }

    [Parameter("address", "owner", 2, true)]
    public string Owner { get; set; } = "";

    [Parameter("uint32", "subaccount", 3, false)]
    public uint Subaccount { get; set; }

    [Parameter("address", "token", 4, false)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "amount", 5, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint64", "requestedAt", 6, false)]
    public ulong RequestedAt { get; set; }
}

/// <summary>The attestation struct.</summary>
public sealed class AttestationStruct
{
    [Parameter("uint64", "height", 1)]
    public ulong Height { get; set; }

    [Parameter("bytes32", "stateRoot", 2)]
    public byte[] StateRoot { get; set; } = [];

    [Parameter("bytes32", "withdrawalsRoot", 3)]
    public byte[] WithdrawalsRoot { get; set; } = [];

    [Parameter("bytes32", "exitRoot", 4)]
    public byte[] ExitRoot { get; set; } = [];

    [Parameter("bytes32", "forcedRoot", 5)]
    public byte[] ForcedRoot { get; set; } = [];
}

/// <summary>The withdrawal record struct.</summary>
public sealed class WithdrawalRecordStruct
{
    [Parameter("uint64", "id", 1)]
    public ulong Id { get; set; }

    [Parameter("address", "recipient", 2)]
    public string Recipient { get; set; } = "";

    [Parameter("uint256", "chainId", 3)]
    public BigInteger ChainId { get; set; }

    [Parameter("address", "token", 4)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "amount", 5)]
    public BigInteger Amount { get; set; }
}

/// <summary>The exit leaf struct.</summary>
public sealed class ExitLeafStruct
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = "";

    [Parameter("uint256", "chainId", 2)]
    public BigInteger ChainId { get; set; }

    [Parameter("address", "token", 3)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "amount", 4)]
    public BigInteger Amount { get; set; }
}

[Function("commitRoot")]
public sealed class CommitRootFunction : FunctionMessage
{
    [Parameter("tuple", "a", 1)]
    public AttestationStruct A { get; set; } = new();

    [Parameter("uint256[]", "forcedChainIds", 2)]
    public List<BigInteger> ForcedChainIds { get; set; } = [];

    [Parameter("uint64[]", "forcedCounts", 3)]
    public List<ulong> ForcedCounts { get; set; } = [];

    [Parameter("bytes[]", "signatures", 4)]
    public List<byte[]> Signatures { get; set; } = [];
}

[Function("deposit")]
public sealed class VaultDepositFunction : FunctionMessage
{
    [Parameter("address", "token", 1)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }

    [Parameter("uint32", "subaccount", 3)]
    public uint Subaccount { get; set; }
}

[Function("requestForcedWithdrawal")]
public sealed class RequestForcedWithdrawalFunction : FunctionMessage
{
    [Parameter("address", "token", 1)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }

    [Parameter("uint32", "subaccount", 3)]
    public uint Subaccount { get; set; }
}

[Function("claim")]
public sealed class ClaimFunction : FunctionMessage
{
    [Parameter("tuple", "r", 1)]
    public WithdrawalRecordStruct R { get; set; } = new();

    [Parameter("bytes32[]", "proof", 2)]
    public List<byte[]> Proof { get; set; } = [];
}

[Function("freeze")]
public sealed class FreezeFunction : FunctionMessage
{
    [Parameter("uint64", "requestId", 1)]
    public ulong RequestId { get; set; }
}

[Function("exit")]
public sealed class ExitFunction : FunctionMessage
{
    [Parameter("tuple", "leaf", 1)]
    public ExitLeafStruct Leaf { get; set; } = new();

    [Parameter("uint256", "index", 2)]
    public BigInteger Index { get; set; }

    [Parameter("bytes32[]", "proof", 3)]
    public List<byte[]> Proof { get; set; } = [];
}

[Function("lastHeight", "uint64")]
public sealed class LastHeightFunction : FunctionMessage;

[Function("frozen", "bool")]
public sealed class FrozenFunction : FunctionMessage;

[Function("mint")]
public sealed class MintFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("approve", "bool")]
public sealed class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = "";
}

#pragma warning restore CS1591
