using System.Globalization;
using Solvent.Node.Recovery;
using Solvent.Node.Replication;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent node --nats URLS [--validator --key FILE]</c>: a node of a replicated deployment.</summary>
internal static class ReplicatedCommand
{
    /// <summary>Environment variable of the wrong-root test hook (a height; see <see cref="ReplicationOptions.CorruptRootAt"/>).</summary>
    public const string CorruptRootVariable = "SOLVENT_TEST_CORRUPT_ROOT_AT";

    public static async Task<int> RunAsync(Dictionary<string, string?> overrides, string urls, string natsUrls, bool validator, string? keyFile, string? advertise, bool canLead, int? leaseMs, CancellationToken ct)
    {
        byte[]? key = null;
        if (validator)
        {
            if (keyFile is null)
            {
                Console.Error.WriteLine("error: --validator needs --key FILE (a 32-byte secp256k1 private key as hex)");
                return 2;
            }

            try
            {
                string text = File.ReadAllText(keyFile).Trim();
                key = Convert.FromHexString(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                Console.Error.WriteLine($"error: cannot read the validator key from {keyFile}: {e.Message}");
                return 2;
            }

            if (!Crypto.Secp256k1.IsValidPrivateKey(key))
            {
                Console.Error.WriteLine($"error: {keyFile} does not hold a valid secp256k1 private key (32 bytes, 0 < d < n)");
                return 2;
            }
        }
        else if (keyFile is not null)
        {
            Console.Error.WriteLine("error: --key is the validator's key; add --validator");
            return 2;
        }

        if (leaseMs is < 500)
        {
            Console.Error.WriteLine("error: --lease-ms must be at least 500");
            return 2;
        }

        string first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var options = new ReplicationOptions
        {
            NatsUrls = natsUrls,
            ValidatorKey = key,
            AdvertiseUrl = advertise ?? first,
            CanLead = canLead,
            LeaseTtl = TimeSpan.FromMilliseconds(leaseMs ?? 3000),
            CorruptRootAt = long.TryParse(Environment.GetEnvironmentVariable(CorruptRootVariable), NumberStyles.None, CultureInfo.InvariantCulture, out long h) ? h : 0,
        };
        try
        {
            return await ReplicatedNode.RunAsync(overrides, urls, options, (node, listen) =>
            {
                Console.WriteLine($"solvent node (replicated): {node.Genesis.Name}, chain {node.Genesis.ChainId}, height {node.Summary.Blocks}, data {Path.GetFullPath(node.Options.DataDir)}");
                Console.WriteLine($"listening on {string.Join(", ", listen)}; NATS {natsUrls}; {(key is null ? "not a validator" : $"validator {Crypto.Secp256k1.AddressOf(key)}")}; finality at /v1/finality");
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RecoveryException or InvalidDataException or IOException or InvalidOperationException or Core.Config.GenesisException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: the node cannot start: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
    }
}
