using System.CommandLine;
using System.Text;
using Solvent.Crypto;

namespace Solvent.Cli.Commands;

/// <summary>
/// <c>solvent sign (--key 0x… | --seed NAME) [--chain-id N] [FILE|-]</c>: signs an unsigned
/// <c>{"type","message"}</c> action and prints the wire JSON — for demos, curl and scripts with dev keys.
/// Real users sign in their wallets (docs/eip712.md).
/// </summary>
internal static class SignCommand
{
    public static Command Build()
    {
        var input = new Argument<string>("action") { Description = "Unsigned action JSON file {\"type\",\"message\"}, or - for standard input", DefaultValueFactory = _ => "-" };
        var key = new Option<string?>("--key") { Description = "Private key, 0x + 64 hex digits" };
        var seed = new Option<string?>("--seed") { Description = "Dev key = keccak256(seed), e.g. alice (never for real funds)" };
        var chainId = new Option<long>("--chain-id") { Description = "Chain id of the domain", DefaultValueFactory = _ => 1 };
        var cmd = new Command("sign", "Sign an action with a dev key and print the signed JSON (wire format of docs/eip712.md)") { input, key, seed, chainId };
        cmd.SetAction(p =>
        {
            string? k = p.GetValue(key);
            string? s = p.GetValue(seed);
            byte[] privateKey;
            if ((k is null) == (s is null))
            {
                Console.Error.WriteLine("error: give exactly one of --key and --seed");
                return 2;
            }

            if (s is not null)
            {
                privateKey = Keccak256.Hash(Encoding.UTF8.GetBytes(s));
            }
            else if (k!.Length != 66 || !k.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !TryHex(k[2..], out privateKey) || !Secp256k1.IsValidPrivateKey(privateKey))
            {
                Console.Error.WriteLine("error: --key must be 0x + 64 hex digits, a valid secp256k1 scalar");
                return 2;
            }

            if (p.GetValue(chainId) < 0)
            {
                Console.Error.WriteLine("error: --chain-id must not be negative");
                return 2;
            }

            string file = p.GetValue(input)!;
            byte[] json;
            try
            {
                json = file == "-" ? Encoding.UTF8.GetBytes(Console.In.ReadToEnd()) : File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {file}: {e.Message}");
                return 2;
            }

            var domain = new Eip712Domain(p.GetValue(chainId));
            if (!ActionCodec.TryDigest(json, domain, out SignedAction? unsigned, out string code, out string message))
            {
                Console.Error.WriteLine($"error: {code}: {message}");
                return 2;
            }

            ulong nonce = unsigned.Nonce;
            Console.Out.WriteLine(ActionCodec.Encode(unsigned.Action, nonce, privateKey, domain));
            return 0;
        });
        return cmd;
    }

    private static bool TryHex(string s, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(s);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
