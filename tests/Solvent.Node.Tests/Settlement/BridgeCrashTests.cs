using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nethereum.Contracts;
using Nethereum.Web3;
using Solvent.Core.Actions;
using Solvent.Node.Bridge;
using Solvent.Storage;
using Xunit.Abstractions;

namespace Solvent.Node.Tests.Settlement;

/// <summary>
/// Issue #17, "a deposit event is credited once even when the node restarts mid-block": the built node bridged to
/// an Anvil vault is SIGKILLed again and again while deposits keep landing on the chain, several per block.
/// </summary>
public sealed class BridgeCrashTests(ITestOutputHelper output)
{
    private const long ChainId = 31341;
    private const int Confirmations = 2;
    private const int Kills = 8;

    // Few distinct amounts, so one owner often deposits the same amount twice, even in one block.
    private static readonly BigInteger[] Amounts = [1_000_000, 2_500_000, 5_000_000];

    /// <summary>
    /// Deposits (four owners, two subaccounts each, one to five per block, repeated amounts) are mined every
    /// few hundred ms while the node process is killed after each start: at a random moment, or (every other
    /// kill) at the first credit of the backlog the restart found, while the rest is still being sequenced.
    /// After every kill the log holds the chain's deposits in id order, each (chain, tx, log index) once and
    /// field for field the chain's event. At the end every on-chain deposit is credited exactly once: each
    /// subaccount's balance is the sum of its on-chain deposits, custody and the vault's token balance equal their
    /// total, and replaying the data directory reproduces the log's last state root.
    /// </summary>
    [AnvilFact]
    public async Task Every_deposit_is_credited_exactly_once_across_repeated_sigkills()
    {
        var clock = Stopwatch.StartNew();
        string dir = Path.Combine(Path.GetTempPath(), "solvent-bridge-crash-" + Guid.NewGuid().ToString("N"));
        using AnvilChain chain = await AnvilChain.StartAsync(ChainId, blockSeconds: null);
        BridgedVault v = await BridgedVault.DeployAsync(chain, dir + "-g", Confirmations);
        await chain.SetAutomineAsync(false);
        Web3[] users = [.. Enumerable.Range(0, AnvilChain.Keys.Length).Select(v.User)];
        string[] args = ["--genesis", v.GenesisFile];
        var env = new Dictionary<string, string> { [$"Solvent__Rpc__{ChainId}"] = chain.Url };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var rng = new Random(17);
        int kills = 0, behind = 0, crowded = 0, logged = 0;
        using var stopDeposits = new CancellationTokenSource();

        // The depositors: a burst of deposits into the pool, then one block mines them all.
        Task depositing = Task.Run(async () =>
        {
            var r = new Random(23);
            while (!stopDeposits.IsCancellationRequested)
            {
                int n = r.Next(1, 6);
                for (int i = 0; i < n; i++)
                {
                    await v.SendDepositAsync(users[r.Next(users.Length)], Amounts[r.Next(Amounts.Length)], (uint)r.Next(2));
                }

                await chain.MineAsync();
                crowded += n > 1 ? 1 : 0;
                await Task.Delay(r.Next(100, 400));
            }
        });

        try
        {
            for (int round = 0; round < Kills; round++)
            {
                using NodeProcess node = await NodeProcess.StartNodeAsync(dir, http, args, env);
                if (round % 2 == 1)
                {
                    // At the first credit of the backlog the restart found, while the rest is being sequenced.
                    var sw = Stopwatch.StartNew();
                    while (sw.Elapsed < TimeSpan.FromSeconds(5) && await CreditedAsync(http, node) <= logged)
                    {
                        await Task.Delay(2);
                    }
                }
                else
                {
                    await Task.Delay(rng.Next(0, 1_200));
                }

                long head = await chain.HeadAsync();
                node.Kill();
                kills++;
                Assert.False(depositing.IsFaulted, depositing.Exception?.ToString());

                List<EventLog<DepositedEvent>> onChain = await v.DepositsOnChainAsync();
                List<BridgedDeposit> inLog = BridgedVault.DepositsInLog(dir);
                v.AssertLogMatchesChain(inLog, onChain, complete: false);
                logged = inLog.Count;

                // Killed while the confirmed backlog was not all credited yet: the restart must resume it.
                behind += logged < onChain.Count(e => (long)e.Log.BlockNumber.Value <= head - Confirmations) ? 1 : 0;
            }

            await stopDeposits.CancelAsync();
            await depositing;
            await chain.MineAsync(Confirmations + 1);
            List<EventLog<DepositedEvent>> all = await v.DepositsOnChainAsync();

            string stateRoot;
            long height;
            using (NodeProcess node = await NodeProcess.StartNodeAsync(dir, http, args, env))
            {
                JsonElement chains = default;
                var wait = Stopwatch.StartNew();
                while (true)
                {
                    chains = JsonDocument.Parse(await http.GetStringAsync(node.Url + "/v1/settlement/chains")).RootElement.GetProperty("chains")[0];
                    if (chains.GetProperty("depositsCredited").GetString() == all.Count.ToString(CultureInfo.InvariantCulture))
                    {
                        break;
                    }

                    Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), $"only {chains.GetProperty("depositsCredited")} of {all.Count} deposits were credited\n{node.Output}");
                    await Task.Delay(100);
                }

                // Each subaccount holds exactly what it deposited on the chain.
                var expected = new Dictionary<(string, uint), BigInteger>();
                foreach (EventLog<DepositedEvent> e in all)
                {
                    (string, uint) k = (e.Event.Owner.ToLowerInvariant(), e.Event.Subaccount);
                    expected[k] = expected.GetValueOrDefault(k) + e.Event.Amount;
                }

                BigInteger credited = 0;
                for (int u = 0; u < users.Length; u++)
                {
                    string owner = BridgedVault.AddressOf(u);
                    JsonElement account = JsonDocument.Parse(await http.GetStringAsync($"{node.Url}/v1/accounts/{owner}")).RootElement;
                    for (uint s = 0; s < 2; s++)
                    {
                        long balance = BridgedVault.UsdcOf(account, s);
                        Assert.Equal(expected.GetValueOrDefault((owner.ToLowerInvariant(), s)), balance);
                        credited += balance;
                    }
                }

                // Nothing invented: the venue's custody, the credited balances and the vault's tokens agree.
                BigInteger deposited = all.Aggregate(BigInteger.Zero, (t, e) => t + e.Event.Amount);
                Assert.Equal(deposited, credited);
                Assert.Equal(deposited, await v.VaultBalanceAsync());
                Assert.Equal(deposited.ToString(CultureInfo.InvariantCulture), chains.GetProperty("tokens")[0].GetProperty("custody").GetProperty("raw").GetString());
                node.Kill();
            }

            v.AssertLogMatchesChain(BridgedVault.DepositsInLog(dir), all, complete: true);
            using (BlockLog log = BlockLog.Open(dir, readOnly: true))
            {
                height = log.Count;
                stateRoot = "0x" + Convert.ToHexStringLower(log.Read(height)!.StateRoot);
            }

            (int exit, string replay) = await NodeProcess.RunAsync("replay", dir, "--json");
            Assert.True(exit == 0, replay);
            JsonElement summary = JsonDocument.Parse(replay).RootElement;
            Assert.Equal(stateRoot, summary.GetProperty("stateRoot").GetString());
            Assert.Equal(0, summary.GetProperty("rejected").GetInt64()); // not even a refused second attempt at a credit

            string table = $"[table] bridge SIGKILL: {kills} kills ({behind} with confirmed deposits not yet credited), {all.Count} deposits in {all.Select(e => e.Log.BlockNumber.Value).Distinct().Count()} blocks ({crowded} blocks with several), each credited once; replay root = log root at height {height}; {clock.Elapsed.TotalSeconds:F0} s";
            output.WriteLine(table);
            Assert.True(behind > 0, "no kill landed while the node was still crediting confirmed deposits");
            Assert.True(crowded > 0, "no block held several deposits");
        }
        finally
        {
            await stopDeposits.CancelAsync();
            try
            {
                await depositing;
            }
            catch (Exception)
            {
                // Reported above when it mattered; the chain is going away.
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

    private static async Task<int> CreditedAsync(HttpClient http, NodeProcess node)
    {
        JsonElement chains = JsonDocument.Parse(await http.GetStringAsync(node.Url + "/v1/settlement/chains")).RootElement;
        return int.Parse(chains.GetProperty("chains")[0].GetProperty("depositsCredited").GetString()!, CultureInfo.InvariantCulture);
    }
}
