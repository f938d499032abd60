using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Bridge;
using Solvent.Storage;

namespace Solvent.Node.Tests.Settlement;

/// <summary>
/// A vault and its USDC test token deployed on an Anvil chain, the bridged genesis naming them, and Anvil's
/// dev accounts as depositors (each minted plenty and the vault approved): what the bridge fault tests
/// deposit into and check the node's block log against.
/// </summary>
public sealed class BridgedVault
{
    /// <summary>Gas given to every deposit, so sending one never waits for an estimate against a moving head.</summary>
    private const long DepositGas = 300_000;

    private BridgedVault(AnvilChain chain, string vault, string token, string genesisFile)
    {
        Chain = chain;
        Vault = vault;
        Token = token;
        GenesisFile = genesisFile;
    }

    public AnvilChain Chain { get; }

    public string Vault { get; }

    public string Token { get; }

    public string GenesisFile { get; }

    /// <summary>
    /// Deploys on an automining chain (each transaction its own block) and writes the genesis into
    /// <paramref name="genesisDir"/>: the example venue with this vault's token as USDC, commitments every block.
    /// </summary>
    public static async Task<BridgedVault> DeployAsync(AnvilChain chain, string genesisDir, int confirmations)
    {
        JsonObject g = JsonNode.Parse(Hosting.NodeOptions.ExampleGenesis())!.AsObject();
        var domain = Eip712Domain.FromGenesis(Core.Config.GenesisLoader.Parse(g.ToJsonString()));
        var d = new VaultDeployer(Path.Combine(AnvilChain.RepoRoot(), "contracts", "out"), chain.Url, AnvilChain.Keys[0], chain.ChainId);
        string token = await d.DeployTokenAsync("Test USDC", "USDC", 6);
        Address validator = Secp256k1.AddressOf(Keccak256.Hash("bridge-fault-validator"u8));
        string vault = await d.DeployVaultAsync(domain.Separator.ToArray(), [validator.ToString()], 1, 60, [token]);
        g["settlement"] = JsonNode.Parse($$"""
        { "custody": "bridged", "validators": ["{{validator}}"], "threshold": 1, "forcedDeadlineSeconds": 60, "commitEveryBlocks": 1,
          "chains": [ { "chainId": {{chain.ChainId}}, "vault": "{{vault}}", "confirmations": {{confirmations}},
                        "tokens": [ { "asset": "USDC", "token": "{{token}}" } ] } ] }
        """);
        Directory.CreateDirectory(genesisDir);
        string file = Path.Combine(genesisDir, "genesis.json");
        await File.WriteAllTextAsync(file, g.ToJsonString());
        var v = new BridgedVault(chain, vault, token, file);
        for (int i = 0; i < AnvilChain.Keys.Length; i++)
        {
            Web3 w = v.User(i);
            await SendAsync(w, token, new MintFunction { To = AddressOf(i), Amount = BigInteger.Pow(10, 18) });
            await SendAsync(w, token, new ApproveFunction { Spender = vault, Amount = BigInteger.Pow(10, 18) });
        }

        return v;
    }

    /// <summary>Dev account <paramref name="i"/> of <see cref="AnvilChain.Keys"/>, checksummed.</summary>
    public static string AddressOf(int i) => new Account(AnvilChain.Keys[i]).Address;

    /// <summary>A client signing as dev account <paramref name="i"/>; nonces come from the chain's pending count.</summary>
    public Web3 User(int i) => new(new Account(AnvilChain.Keys[i], Chain.ChainId), Chain.Url);

    /// <summary>Sends a deposit into the pool without waiting for a block; returns its transaction hash.</summary>
    public Task<string> SendDepositAsync(Web3 user, BigInteger amount, uint subaccount) =>
        user.Eth.GetContractTransactionHandler<VaultDepositFunction>().SendRequestAsync(Vault, Deposit(amount, subaccount));

    /// <summary>
    /// Signs a deposit from dev account <paramref name="user"/> at its next nonce as the chain counts it now (pool
    /// included; after a reorg, not what a client cached) without sending it: raw bytes to send, or to re-include in a reorg.
    /// </summary>
    public async Task<string> SignDepositAsync(int user, BigInteger amount, uint subaccount)
    {
        VaultDepositFunction fn = Deposit(amount, subaccount);
        fn.Nonce = (await Chain.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(user), BlockParameter.CreatePending())).Value;
        return (await User(user).Eth.GetContractTransactionHandler<VaultDepositFunction>().SignTransactionAsync(Vault, fn)).EnsureHexPrefix();
    }

    /// <summary>A deposit from dev account <paramref name="user"/> as an unsigned request: Anvil signs and places it in <c>anvil_reorg</c>.</summary>
    public Dictionary<string, string> DepositRequest(int user, BigInteger amount, uint subaccount) => new()
    {
        ["from"] = AddressOf(user),
        ["to"] = Vault,
        ["gas"] = "0x" + DepositGas.ToString("x", CultureInfo.InvariantCulture),
        ["input"] = Deposit(amount, subaccount).GetCallData().ToHex(true),
    };

    /// <summary>Every <c>Deposited</c> event of the chain as it is now (the canonical chain after any reorg).</summary>
    public async Task<List<EventLog<DepositedEvent>>> DepositsOnChainAsync()
    {
        Event<DepositedEvent> e = Chain.Web3.Eth.GetEvent<DepositedEvent>(Vault);
        return await e.GetAllChangesAsync(e.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
    }

    /// <summary>The vault's token balance: what custody holds on the chain.</summary>
    public Task<BigInteger> VaultBalanceAsync() =>
        Chain.Web3.Eth.GetContractQueryHandler<BalanceOfFunction>().QueryAsync<BigInteger>(Token, new BalanceOfFunction { Account = Vault });

    /// <summary>Every bridged deposit in a data directory's block log, in log order (read-only; the node must be stopped or killed).</summary>
    public static List<BridgedDeposit> DepositsInLog(string dataDir)
    {
        var found = new List<BridgedDeposit>();
        if (!File.Exists(Path.Combine(dataDir, BlockLog.FileName)))
        {
            return found;
        }

        using BlockLog log = BlockLog.Open(dataDir, readOnly: true);
        foreach (StoredBlock b in log.ReadAll())
        {
            foreach (byte[] raw in b.Actions)
            {
                if (SystemActionCodec.IsSystem(raw))
                {
                    Assert.True(SystemActionCodec.TryDecode(raw, out SystemAction? a, out string error), error);
                    if (a is BridgedDeposit d)
                    {
                        found.Add(d);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The log's bridged deposits are the chain's deposits, each exactly once: deposit ids 0, 1, 2… in order, no
    /// (chain, transaction, log index) twice, and each one field for field the chain's event with that id (same
    /// transaction, log index, owner, subaccount, token and amount). With <paramref name="complete"/>, every
    /// event on the chain is in the log; otherwise the log may trail the chain.
    /// </summary>
    public void AssertLogMatchesChain(IReadOnlyList<BridgedDeposit> logged, IReadOnlyList<EventLog<DepositedEvent>> onChain, bool complete)
    {
        var byId = new Dictionary<ulong, EventLog<DepositedEvent>>();
        foreach (EventLog<DepositedEvent> e in onChain)
        {
            Assert.True(byId.TryAdd(e.Event.DepositId, e), $"the vault emitted deposit id {e.Event.DepositId} twice");
        }

        var seen = new HashSet<(long, string, long)>();
        for (int i = 0; i < logged.Count; i++)
        {
            BridgedDeposit d = logged[i];
            string tx = "0x" + Convert.ToHexStringLower(d.TxHash);
            Assert.True(seen.Add((d.ChainId, tx, d.LogIndex)), $"deposit (chain {d.ChainId}, tx {tx}, log {d.LogIndex}) is in the log twice");
            Assert.Equal((ulong)i, d.DepositId);
            Assert.True(byId.TryGetValue(d.DepositId, out EventLog<DepositedEvent>? e), $"the log credits deposit {d.DepositId}, which the chain does not hold");
            Assert.Equal(Chain.ChainId, d.ChainId);
            Assert.Equal(e.Log.TransactionHash.ToLowerInvariant(), tx);
            Assert.Equal((long)e.Log.LogIndex.Value, d.LogIndex);
            Assert.Equal(Address.Parse(e.Event.Owner), d.Owner);
            Assert.Equal(e.Event.Subaccount, d.Subaccount);
            Assert.Equal(Address.Parse(e.Event.Token), d.Token);
            Assert.Equal(e.Event.Amount, (BigInteger)d.Amount);
        }

        if (complete)
        {
            Assert.Equal(onChain.Count, logged.Count);
        }
    }

    /// <summary>The raw USDC balance of one subaccount in an owner's <c>/v1/accounts/{owner}</c> answer (0 when absent).</summary>
    public static long UsdcOf(JsonElement owner, uint subaccount)
    {
        foreach (JsonElement s in owner.GetProperty("subaccounts").EnumerateArray())
        {
            if (s.GetProperty("number").GetUInt32() != subaccount)
            {
                continue;
            }

            foreach (JsonElement b in s.GetProperty("balances").EnumerateArray())
            {
                if (b.GetProperty("asset").GetString() == "USDC")
                {
                    return long.Parse(b.GetProperty("balance").GetProperty("raw").GetString()!, CultureInfo.InvariantCulture);
                }
            }
        }

        return 0;
    }

    private VaultDepositFunction Deposit(BigInteger amount, uint subaccount) =>
        new() { Token = Token, Amount = amount, Subaccount = subaccount, Gas = DepositGas };

    private static async Task SendAsync<T>(Web3 w, string to, T fn)
        where T : FunctionMessage, new()
    {
        TransactionReceipt r = await w.Eth.GetContractTransactionHandler<T>().SendRequestAndWaitForReceiptAsync(to, fn);
        Assert.True(r.Status.Value == 1, $"{typeof(T).Name} reverted");
    }
}
