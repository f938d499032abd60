using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Solvent.Node.Bridge;

/// <summary>
/// Deploys the committed contract artifacts (<c>contracts/out/*.json</c>: abi + creation bytecode) on a
/// development chain: test tokens and a vault. For <c>--dev</c> and the end-to-end tests; production vaults
/// are deployed by their operators.
/// </summary>
public sealed class VaultDeployer(string artifactsDir, string rpcUrl, string deployerKey, long chainId)
{
    private readonly Web3 _web3 = new(new Account(deployerKey, chainId), rpcUrl);

    /// <summary>The deployer's address.</summary>
    public string From => ((Account)_web3.TransactionManager.Account).Address;

    /// <summary>The deployer's client.</summary>
    public Web3 Web3 => _web3;

    /// <summary>Deploys <c>TestToken(name, symbol, decimals)</c>; returns its address.</summary>
    public Task<string> DeployTokenAsync(string name, string symbol, byte decimals) => DeployAsync("TestToken", name, symbol, decimals);

    /// <summary>Deploys a vault; returns its address.</summary>
    public Task<string> DeployVaultAsync(byte[] domainSeparator, IReadOnlyList<string> validators, ushort threshold, ulong forcedDeadlineSeconds, IReadOnlyList<string> tokens) =>
        DeployAsync("Vault", domainSeparator, validators.ToList(), threshold, forcedDeadlineSeconds, tokens.ToList());

    private async Task<string> DeployAsync(string contract, params object[] args)
    {
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(artifactsDir, contract + ".json")).ConfigureAwait(false));
        string abi = doc.RootElement.GetProperty("abi").GetRawText();
        string bytecode = doc.RootElement.GetProperty("bytecode").GetString()!;
        var receipt = await _web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(abi, bytecode, From, new HexBigInteger(new BigInteger(15_000_000)), null, args).ConfigureAwait(false);
        if (receipt.Status.Value != 1 || receipt.ContractAddress is null)
        {
            throw new InvalidOperationException($"deploying {contract} failed (transaction {receipt.TransactionHash})");
        }

        return receipt.ContractAddress;
    }
}
