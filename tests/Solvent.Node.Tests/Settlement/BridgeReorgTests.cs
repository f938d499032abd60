using System.Diagnostics;
using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Solvent.Core.Actions;
using Xunit.Abstractions;

namespace Solvent.Node.Tests.Settlement;

/// <summary>
/// Issue #17, "reorgs below the confirmation depth are impossible to credit twice": the in-process node's bridge
/// follows an Anvil vault mined on demand while the test reorganises the top of the chain with <c>anvil_reorg</c>
/// (same height, other blocks) and <c>evm_snapshot</c>/<c>evm_revert</c> (a shorter chain, then re-mined).
/// A deposit in block h is credited once the head is h + confirmations, so a reorg of depth ≤ confirmations can
/// only replace deposits the node has not credited.
/// </summary>
public sealed class BridgeReorgTests(ITestOutputHelper output)
{
    private const int Confirmations = 2;
    private const int Deployer = 0, Alice = 1, Bob = 2, Carol = 3;

    /// <summary>Long enough for several 200 ms bridge polls to have seen the chain as it is.</summary>
    private static readonly TimeSpan Polls = TimeSpan.FromMilliseconds(1_200);

    private sealed class Venue(AnvilChain chain, BridgedVault vault, TestNode node, string dir) : IAsyncDisposable
    {
        private bool _stopped;

        public AnvilChain Chain => chain;

        public BridgedVault Vault => vault;

        public TestNode Node { get; private set; } = node;

        public string Dir => dir;

        public static async Task<Venue> StartAsync(long chainId)
        {
            string dir = Path.Combine(Path.GetTempPath(), "solvent-bridge-reorg-" + Guid.NewGuid().ToString("N"));
            AnvilChain chain = await AnvilChain.StartAsync(chainId, blockSeconds: null);
            BridgedVault vault = await BridgedVault.DeployAsync(chain, dir + "-g", Confirmations);
            await chain.SetAutomineAsync(false);
            return new Venue(chain, vault, await StartNodeAsync(chain, vault, dir), dir);
        }

        /// <summary>Stops the node and starts it again on the same data directory: its watcher rescans from block 0.</summary>
        public async Task RestartAsync()
        {
            await Node.DisposeAsync();
            Node = await StartNodeAsync(chain, vault, dir);
        }

        public Task<ulong> CreditedAsync() => Node.Node.Sequencer.QueryAsync(e => e.Settlement!.NextDeposit[0]);

        public async Task<long> UsdcAsync(int user) => BridgedVault.UsdcOf(await Node.GetJsonAsync($"/v1/accounts/{BridgedVault.AddressOf(user)}"), 0);

        public async Task UntilCreditedAsync(ulong count)
        {
            var sw = Stopwatch.StartNew();
            while (await CreditedAsync() < count)
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"only {await CreditedAsync()} of {count} deposits were credited");
                await Task.Delay(50);
            }

            await Task.Delay(Polls); // and nothing more after a few more polls
            Assert.Equal(count, await CreditedAsync());
        }

        /// <summary>Replaces the top <paramref name="depth"/> blocks by as many new ones holding <paramref name="txs"/> (raw hex or a request Anvil signs, with the new block's offset).</summary>
        public Task ReorgAsync(int depth, params (object Tx, int Block)[] txs) =>
            chain.RpcAsync<object>("anvil_reorg", depth, txs.Select(t => new object[] { t.Tx, t.Block }).ToArray());

        public async Task<TransactionReceipt?> ReceiptAsync(string tx) => await chain.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(tx);

        /// <summary>Stops the node; then the log must hold exactly the chain's deposits, and custody what the vault holds.</summary>
        public async Task<List<BridgedDeposit>> StopAndCheckLogAsync()
        {
            _stopped = true;
            await Node.DisposeAsync();
            List<BridgedDeposit> logged = BridgedVault.DepositsInLog(dir);
            vault.AssertLogMatchesChain(logged, await vault.DepositsOnChainAsync(), complete: true);
            Assert.Equal(await vault.VaultBalanceAsync(), logged.Aggregate(BigInteger.Zero, (t, d) => t + (BigInteger)d.Amount));
            return logged;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stopped)
            {
                await Node.DisposeAsync();
            }

            chain.Dispose();
            foreach (string d in new[] { dir, dir + "-g" })
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
        }

        private static Task<TestNode> StartNodeAsync(AnvilChain chain, BridgedVault vault, string dir) =>
            TestNode.StartAsync(dir, genesisFile: vault.GenesisFile, extra: new Dictionary<string, string?> { [$"Solvent:Rpc:{chain.ChainId}"] = chain.Url });
    }

    /// <summary>
    /// (a) A deposit one block deep is reorganised away three ways: replaced by another owner's deposit at the
    /// same height (<c>anvil_reorg</c>); re-included as the same signed transaction in a later block behind
    /// another deposit (other block, other log index, other deposit id); and dropped by a shorter chain
    /// (<c>evm_revert</c>) that is then mined past the confirmation depth without it. The reorganised-out
    /// version is never credited, each replacement exactly once, and a restart that rescans the whole chain
    /// credits nothing more.
    /// </summary>
    [AnvilFact]
    public async Task A_deposit_reorganised_out_before_its_confirmations_is_never_credited_and_its_replacement_once()
    {
        var clock = Stopwatch.StartNew();
        await using Venue v = await Venue.StartAsync(31342);

        // 1. Replaced at the same height by a different deposit.
        string gone = await v.Vault.SendDepositAsync(v.Vault.User(Alice), 100_000_000, 0);
        await v.Chain.MineAsync(Confirmations); // its block and one on top: one block short of crediting
        Assert.NotNull(await v.ReceiptAsync(gone));
        await Task.Delay(Polls);
        Assert.Equal(0UL, await v.CreditedAsync());
        await v.ReorgAsync(Confirmations, (v.Vault.DepositRequest(Bob, 70_000_000, 0), 0));
        Assert.Null(await v.ReceiptAsync(gone));
        await v.Chain.MineAsync(Confirmations);
        await v.UntilCreditedAsync(1);
        Assert.Equal(70_000_000, await v.UsdcAsync(Bob));
        Assert.Equal(0, await v.UsdcAsync(Alice));
        Assert.Null(await v.ReceiptAsync(gone)); // Anvil did not put it back in the pool either

        // 2. The same signed deposit re-included in another block, behind another deposit: new log index and id.
        string raw = await v.Vault.SignDepositAsync(Alice, 40_000_000, 0);
        string moved = await v.Chain.Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(raw);
        await v.Chain.MineAsync(Confirmations);
        TransactionReceipt? first = await v.ReceiptAsync(moved);
        Assert.True(first is not null, "the signed deposit was not mined");
        await Task.Delay(Polls);
        Assert.Equal(1UL, await v.CreditedAsync());
        await v.ReorgAsync(Confirmations, (v.Vault.DepositRequest(Carol, 25_000_000, 0), 1), (raw, 1));
        TransactionReceipt? again = await v.ReceiptAsync(moved);
        Assert.True(again is not null, "the reorg did not re-include the signed deposit");
        Assert.NotEqual(first.BlockNumber.Value, again.BlockNumber.Value);
        Assert.NotEqual(first.Logs[^1].LogIndex.Value, again.Logs[^1].LogIndex.Value);
        await v.Chain.MineAsync(Confirmations);
        await v.UntilCreditedAsync(3);
        Assert.Equal(40_000_000, await v.UsdcAsync(Alice));
        Assert.Equal(25_000_000, await v.UsdcAsync(Carol));

        // 3. A shorter chain without the deposit (revert to a snapshot), then mined well past the confirmation depth.
        string snapshot = await v.Chain.RpcAsync<string>("evm_snapshot");
        string reverted = await v.Vault.SendDepositAsync(v.Vault.User(Deployer), 55_000_000, 0);
        await v.Chain.MineAsync(Confirmations);
        await Task.Delay(Polls);
        Assert.True(await v.Chain.RpcAsync<bool>("evm_revert", snapshot));
        Assert.Null(await v.ReceiptAsync(reverted));
        await v.Chain.MineAsync(Confirmations + 2);
        await v.UntilCreditedAsync(3);
        Assert.Equal(0, await v.UsdcAsync(Deployer));

        // A restart rescans the chain from block 0 and finds nothing new to credit.
        string root = await v.Node.StateRootAsync();
        await v.RestartAsync();
        await Task.Delay(Polls);
        Assert.Equal(3UL, await v.CreditedAsync());
        Assert.Equal(root, await v.Node.StateRootAsync());

        List<BridgedDeposit> logged = await v.StopAndCheckLogAsync();
        Assert.Equal(again.TransactionHash, "0x" + Convert.ToHexStringLower(logged[2].TxHash));
        Assert.Equal((long)again.Logs[^1].LogIndex.Value, logged[2].LogIndex);
        output.WriteLine($"[table] bridge reorgs below the confirmation depth: replaced, re-included elsewhere and reverted deposits; 3 credited once each, none reorged out; {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>
    /// (b) A deposit credited exactly at the confirmation depth stays credited once while the blocks above it
    /// are reorganised again and again: depth-1 churn while the bridge polls, then a reorg of the full
    /// confirmation depth that re-includes a pending deposit elsewhere and adds a second deposit by the same
    /// owner for the same amount (a distinct deposit, credited on its own). A restart rescanning from block 0
    /// credits nothing twice.
    /// </summary>
    [AnvilFact]
    public async Task A_credited_deposit_is_not_credited_again_when_shallower_blocks_reorganise()
    {
        var clock = Stopwatch.StartNew();
        await using Venue v = await Venue.StartAsync(31343);

        await v.Vault.SendDepositAsync(v.Vault.User(Alice), 100_000_000, 0);
        await v.Chain.MineAsync(1 + Confirmations); // its block, then exactly the confirmation depth on top
        await v.UntilCreditedAsync(1);

        // Churn at the top while the bridge keeps polling: never deeper than the blocks above the credit.
        for (int i = 0; i < 6; i++)
        {
            await v.Chain.MineAsync();
            await v.ReorgAsync(1);
            await Task.Delay(150);
        }

        Assert.Equal(1UL, await v.CreditedAsync());

        string raw = await v.Vault.SignDepositAsync(Bob, 30_000_000, 0);
        string bobs = await v.Chain.Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(raw);
        await v.Chain.MineAsync();
        long head = await v.Chain.HeadAsync();
        Assert.Equal(head, (long)(await v.ReceiptAsync(bobs))!.BlockNumber.Value);

        // Depth = confirmations: the two blocks above the last credit go; Bob's deposit moves down one block,
        // after Alice deposits the same amount again.
        await v.ReorgAsync(Confirmations, (v.Vault.DepositRequest(Alice, 100_000_000, 0), 0), (raw, 0));
        Assert.Equal(head - 1, (long)(await v.ReceiptAsync(bobs))!.BlockNumber.Value);
        await Task.Delay(Polls);
        Assert.Equal(1UL, await v.CreditedAsync());
        await v.Chain.MineAsync(Confirmations);
        await v.UntilCreditedAsync(3);
        Assert.Equal(200_000_000, await v.UsdcAsync(Alice));
        Assert.Equal(30_000_000, await v.UsdcAsync(Bob));

        await v.RestartAsync();
        await Task.Delay(Polls);
        Assert.Equal(3UL, await v.CreditedAsync());
        Assert.Equal(200_000_000, await v.UsdcAsync(Alice));
        await v.StopAndCheckLogAsync();
        output.WriteLine($"[table] bridge reorgs above a credited deposit: 6 depth-1 reorgs and one of the full confirmation depth; 3 deposits credited once each; {clock.Elapsed.TotalSeconds:F0} s");
    }
}
