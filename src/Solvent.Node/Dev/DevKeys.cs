using System.Text;
using Solvent.Crypto;

namespace Solvent.Node.Dev;

/// <summary>
/// Deterministic demo keys for <c>--dev</c> (keccak256 of a public seed: never for real funds): a few
/// users, a faucet that deposits on request, and a governance key the dev genesis names.
/// </summary>
public sealed class DevKeys
{
    /// <summary>Seeds of the demo user keys.</summary>
    public static readonly string[] UserSeeds = ["alice", "bob", "carol", "keeper"];

    /// <summary>Seed of the faucet key.</summary>
    public const string FaucetSeed = "solvent-dev-faucet";

    /// <summary>Seed of the dev governance key.</summary>
    public const string GovernanceSeed = "solvent-dev-governance";

    /// <summary>Seed of the dev validator key (signs settlement attestations on a dev chain).</summary>
    public const string ValidatorSeed = "solvent-dev-validator";

    /// <summary>Builds the keys under a domain.</summary>
    public DevKeys(Eip712Domain domain)
    {
        Users = [.. UserSeeds.Select(s => (s, ActionSigner.FromSeed(s, domain)))];
        Faucet = ActionSigner.FromSeed(FaucetSeed, domain);
        Governance = ActionSigner.FromSeed(GovernanceSeed, domain);
    }

    /// <summary>Demo users by seed.</summary>
    public IReadOnlyList<(string Seed, ActionSigner Signer)> Users { get; }

    /// <summary>The faucet.</summary>
    public ActionSigner Faucet { get; }

    /// <summary>Dev governance (sets oracle prices and parameters on a dev chain).</summary>
    public ActionSigner Governance { get; }

    /// <summary>Hex private key of a seed (printed at start so a wallet or script can sign).</summary>
    public static string PrivateKeyHex(string seed) => "0x" + Convert.ToHexStringLower(Keccak256.Hash(Encoding.UTF8.GetBytes(seed)));

    /// <summary>The example genesis with governance handed to the dev governance key.</summary>
    public static string DevGenesis(string genesisJson, string governanceAddress)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(genesisJson)!.AsObject();
        node["governance"] = governanceAddress;
        node["name"] = node["name"]?.GetValue<string>() + " (dev)";
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
