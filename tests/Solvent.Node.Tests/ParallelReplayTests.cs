using System.Text;
using System.Text.Json;
using Solvent.Core;
using Solvent.Core.Actions;
using Solvent.Core.Blocks;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Recovery;
using Solvent.Node.Sequencing;
using Solvent.Storage;

namespace Solvent.Node.Tests;

public class ParallelReplayTests
{
    [Fact]
    public async Task Replaying_big_blocks_with_signatures_verified_in_parallel_equals_the_sequential_replay_and_the_sequenced_chain()
    {
        // Long blocks so the batch lands in few big ones; no rate limit so one signer may send 20 at once.
        await using TestNode n = await TestNode.StartAsync(blockMs: 200, extra: new Dictionary<string, string?> { ["Solvent:SignerRatePerSecond"] = "0" });
        ActionSigner[] signers = [.. Enumerable.Range(0, 6).Select(i => n.Signer($"replay-{i}"))];
        var elements = new List<string>();
        for (int k = 0; k < 20; k++)
        {
            foreach (ActionSigner s in signers)
            {
                // Every seventh is a withdrawal beyond the balance: sequenced, rejected by the engine, nonce used.
                EngineAction a = k > 0 && k % 7 == 0
                    ? new Withdraw(s.Address, new AccountKey(s.Address, 0), n.Asset("USDC"), 1_000_000_000_000)
                    : n.Deposit(s, "USDC", 1_000 + k, (uint)(k % 3));
                elements.Add(s.Sign(a, (ulong)k));
            }
        }

        using var content = new StringContent("[" + string.Join(",", elements) + "]", Encoding.UTF8, "application/json");
        using HttpResponseMessage r = await n.Http.PostAsync("/v1/actions/batch", content);
        JsonElement[] results = [.. (await TestNode.JsonOf(r)).GetProperty("results").EnumerateArray()];
        Assert.Equal(120, results.Length);
        Assert.All(results, e => Assert.Contains(e.GetProperty("status").GetInt32(), new[] { 200, 422 }));
        Assert.Equal(12, results.Count(e => e.GetProperty("status").GetInt32() == 422));
        string root = await n.StateRootAsync();

        StoredBlock[] blocks = [.. n.Node.Sequencer.Log.ReadAll()];
        Assert.Contains(blocks, b => b.Actions.Count >= BlockReplayer.ParallelFrom);
        var sequential = (Engine: new Engine(n.Genesis), Nonces: new NonceTable());
        var parallel = (Engine: new Engine(n.Genesis), Nonces: new NonceTable());
        AccountCommitment seqAccounts = AccountCommitment.Of(sequential.Engine), parAccounts = AccountCommitment.Of(parallel.Engine);
        foreach (StoredBlock b in blocks)
        {
            var seqSigners = new Address[b.Actions.Count];
            var parSigners = new Address[b.Actions.Count];
            BlockResult a = BlockReplayer.Replay(sequential.Engine, sequential.Nonces, seqAccounts, n.Node.Decoder, b, seqSigners, true, int.MaxValue);
            BlockResult p = BlockReplayer.Replay(parallel.Engine, parallel.Nonces, parAccounts, n.Node.Decoder, b, parSigners, true, 1);
            Assert.Equal(a.StateRoot, p.StateRoot);
            Assert.Equal(seqSigners, parSigners);
            Assert.Equal(a.Results.Select(x => x.CodeName), p.Results.Select(x => x.CodeName));
        }

        Assert.Equal(root, "0x" + Convert.ToHexStringLower(parallel.Engine.LastRoot));

        // A logged action whose signature no longer verifies fails both paths with the same message (the first bad one in block order).
        StoredBlock big = blocks.First(b => b.Actions.Count >= BlockReplayer.ParallelFrom);
        var tampered = big.Actions.ToList();
        foreach (int i in new[] { 9, 4 })
        {
            string text = Encoding.UTF8.GetString(tampered[i]);
            string sig = JsonDocument.Parse(text).RootElement.GetProperty("signature").GetString()!;
            tampered[i] = Encoding.UTF8.GetBytes(text.Replace(sig, sig[..^2] + "1d", StringComparison.Ordinal));
        }

        StoredBlock bad = big with { Actions = tampered };
        string Fail(int parallelFrom)
        {
            var e = new Engine(n.Genesis);
            var nonces = new NonceTable();
            AccountCommitment acc = AccountCommitment.Of(e);
            foreach (StoredBlock b in blocks.TakeWhile(b => b.Height < big.Height))
            {
                BlockReplayer.Replay(e, nonces, acc, n.Node.Decoder, b, null, true, parallelFrom);
            }

            return Assert.Throws<RecoveryException>(() => BlockReplayer.Replay(e, nonces, acc, n.Node.Decoder, bad, null, true, parallelFrom)).Message;
        }

        string message = Fail(int.MaxValue);
        Assert.Contains("action 4:", message);
        Assert.Equal(message, Fail(1));
    }
}
