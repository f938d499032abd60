using System.CommandLine;
using System.Text.Json;
using Solvent.Core.Config;
using Solvent.Crypto;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent eip712 [--chain-id N | --genesis FILE]</c>: prints the EIP-712 domain and every signable type as
/// <c>eth_signTypedData_v4</c> wants them (the same JSON the node serves at <c>GET /v1/eip712</c>).
/// </summary>
internal static class Eip712Command
{
    public static Command Build()
    {
        var chainId = new Option<long?>("--chain-id") { Description = "Chain id of the domain (default: the --genesis file's, else the embedded example genesis' — what `solvent node` serves by default)" };
        var genesis = new Option<string?>("--genesis") { Description = "Genesis file to take the chain id from" };
        var cmd = new Command("eip712", "Print the EIP-712 domain and action types for wallets (eth_signTypedData_v4)") { chainId, genesis };
        cmd.SetAction(p =>
        {
            // Without a chain id or genesis, describe exactly what a default node serves at /v1/eip712.
            long id = p.GetValue(chainId) ?? GenesisLoader.Parse(Node.Hosting.NodeOptions.ExampleGenesis()).ChainId;
            string? file = p.GetValue(genesis);
            if (file is not null)
            {
                try
                {
                    id = GenesisLoader.Parse(File.ReadAllText(file)).ChainId;
                }
                catch (Exception e) when (e is IOException or GenesisException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"error: {file}: {e.Message}");
                    return 2;
                }
            }

            if (id < 0)
            {
                Console.Error.WriteLine("error: --chain-id must not be negative");
                return 2;
            }

            Console.Out.WriteLine(Eip712Schema.Describe(new Eip712Domain(id)).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return cmd;
    }
}
