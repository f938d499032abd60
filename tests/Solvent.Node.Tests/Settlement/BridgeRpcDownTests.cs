using System.Diagnostics;
using System.Numerics;
using Solvent.Core.Actions;
using Xunit.Abstractions;

namespace Solvent.Node.Tests.Settlement;

/// <summary>Issue #17, "an RPC that is down delays credits but never loses them".</summary>
public sealed class BridgeRpcDownTests(ITestOutputHelper output)
{
    private const long ChainId = 31344;
    private const int Confirmations = 2;

    /// <summary>
    /// The node reaches its vault chain through a gate the test takes down: deposits made and confirmed while
    /// the RPC is down are not credited (and the node keeps serving), are all credited once it is back; the same
    /// across a node restart that starts with the RPC down, and across the RPC flapping while deposits land.
    /// In the end the log holds each of the chain's deposits once and custody equals the vault's balance.
    /// </summary>
    [AnvilFact]
    public async Task Deposits_made_while_the_rpc_is_down_are_credited_once_when_it_is_back()
    {
        var clock = Stopwatch.StartNew();
        string dir = Path.Combine(Path.GetTempPath(), "solvent-bridge-rpc-" + Guid.NewGuid().ToString("N"));
        using AnvilChain chain = await AnvilChain.StartAsync(ChainId, blockSeconds: null);
        BridgedVault v = await BridgedVault.DeployAsync(chain, dir + "-g", Confirmations);
        await chain.SetAutomineAsync(false);
        using var gate = new RpcGate(chain.Url);
        var extra = new Dictionary<string, string?> { [$"Solvent:Rpc:{ChainId}"] = gate.Url };
        TestNode? n = await TestNode.StartAsync(dir, genesisFile: v.GenesisFile, extra: extra);
        var expected = new long[AnvilChain.Keys.Length];
        ulong made = 0;

        async Task DepositAsync(int user, long amount)
        {
            await v.SendDepositAsync(v.User(user), amount, 0);
            expected[user] += amount;
            made++;
        }

        Task<ulong> Credited() => n!.Node.Sequencer.QueryAsync(e => e.Settlement!.NextDeposit[0]);

        async Task UntilAllCreditedAsync()
        {
            var sw = Stopwatch.StartNew();
            while (await Credited() < made)
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"only {await Credited()} of {made} deposits were credited after the RPC came back");
                await Task.Delay(50);
            }
        }

        try
        {
            await DepositAsync(1, 10_000_000);
            await chain.MineAsync(1 + Confirmations);
            await UntilAllCreditedAsync();

            // Down: confirmed deposits wait; the node keeps serving.
            gate.Down();
            for (int u = 0; u < expected.Length; u++)
            {
                await DepositAsync(u, 1_000_000 * (u + 1));
            }

            await chain.MineAsync(1 + Confirmations);
            await Task.Delay(1_500);
            Assert.Equal(1UL, await Credited());
            Assert.True((await n.Http.GetAsync(new Uri("/v1/health", UriKind.Relative))).IsSuccessStatusCode);
            gate.Up();
            var back = Stopwatch.StartNew();
            await UntilAllCreditedAsync();
            double catchUp = back.Elapsed.TotalSeconds;

            // A restart while the RPC is down: the node starts without it and credits once it is back.
            gate.Down();
            await n.DisposeAsync();
            n = null;
            await DepositAsync(2, 7_000_000);
            await DepositAsync(3, 7_000_000);
            await chain.MineAsync(1 + Confirmations);
            n = await TestNode.StartAsync(dir, genesisFile: v.GenesisFile, extra: extra);
            await Task.Delay(1_000);
            Assert.Equal(made - 2, await Credited());
            gate.Up();
            await UntilAllCreditedAsync();

            // Flapping while deposits land.
            var rng = new Random(5);
            for (int i = 0; i < 5; i++)
            {
                gate.Down();
                await DepositAsync(rng.Next(expected.Length), 3_000_000);
                await chain.MineAsync();
                await Task.Delay(rng.Next(50, 400));
                gate.Up();
                await DepositAsync(rng.Next(expected.Length), 3_000_000);
                await chain.MineAsync();
                await Task.Delay(rng.Next(50, 400));
            }

            await chain.MineAsync(Confirmations);
            await UntilAllCreditedAsync();
            await Task.Delay(1_000);
            Assert.Equal(made, await Credited());
            for (int u = 0; u < expected.Length; u++)
            {
                Assert.Equal(expected[u], BridgedVault.UsdcOf(await n.GetJsonAsync($"/v1/accounts/{BridgedVault.AddressOf(u)}"), 0));
            }

            await n.DisposeAsync();
            n = null;
            List<BridgedDeposit> logged = BridgedVault.DepositsInLog(dir);
            v.AssertLogMatchesChain(logged, await v.DepositsOnChainAsync(), complete: true);
            Assert.Equal(await v.VaultBalanceAsync(), logged.Aggregate(BigInteger.Zero, (t, d) => t + (BigInteger)d.Amount));
            output.WriteLine($"[table] bridge RPC down: {made} deposits (4 made while down, 2 across a restart without RPC, 10 while flapping) credited once each; caught up {catchUp:F1} s after the RPC came back; {clock.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            if (n is not null)
            {
                await n.DisposeAsync();
            }

            foreach (string d in new[] { dir, dir + "-g" })
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
        }
    }
}
