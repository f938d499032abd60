using System.CommandLine;

namespace Solvent.Cli.Commands;

/// <summary><c>solvent devnet</c>: three NATS servers and three replicated validator nodes on 127.0.0.1 with one command.</summary>
internal static class DevnetCommand
{
    public static Command Build()
    {
        var dir = new Option<string>("--dir") { Description = "Folder for the servers' and nodes' data and logs (kept between runs)", DefaultValueFactory = _ => "./devnet" };
        var cmd = new Command("devnet", "Start a local replicated deployment: 3 nats-servers (JetStream, ports 4222-4224) and 3 validator nodes (API on 8645-8647, --dev faucet); Ctrl-C stops all") { dir };
        cmd.SetAction(async (p, ct) =>
        {
            if (Devnet.FindNatsServer() is null)
            {
                Console.Error.WriteLine("error: nats-server is not installed (Debian: apt-get install nats-server)");
                return 2;
            }

            try
            {
                await using Devnet d = await Devnet.StartAsync(p.GetValue(dir)!, [4222, 4223, 4224], [8645, 8646, 8647], [], Console.WriteLine, ct).ConfigureAwait(false);
                string leader = await d.LeaderAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
                Console.WriteLine($"leader {leader}; POST actions there (other nodes answer 421 NOT_LEADER naming it); every node serves reads, proofs and /v1/stream at its own height");
                Console.WriteLine($"finality: curl {leader}/v1/finality    faucet: curl -X POST {leader}/v1/dev/faucet -H 'content-type: application/json' -d '{{\"owner\":\"0x…\",\"subaccount\":0,\"asset\":\"USDC\",\"amount\":\"1000\"}}'");
                Console.WriteLine("Ctrl-C stops every process");
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }

            return 0;
        });
        return cmd;
    }
}
