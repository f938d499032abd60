using System.Net;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.Config;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Recovery;
using Solvent.Sim.Running;
using Solvent.Sim.Scenarios;
using Solvent.Storage;

namespace Solvent.Node.Tests;

/// <summary>The simulator stresses the book a running node holds, read from the node's data directory.</summary>
public class StressFromNodeSnapshotTests
{
    [Fact]
    public async Task A_stress_run_loads_a_running_nodes_snapshot_and_liquidates_its_borrower()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-stress-node-" + Guid.NewGuid().ToString("N"));
        try
        {
            Address alice;
            await using (TestNode n = await TestNode.StartAsync(dir))
            {
                ActionSigner borrower = n.Signer("alice"), bob = n.Signer("bob");
                alice = borrower.Address;
                long eth = 1_000_000_000L, usdc = 1_000_000L;

                // Bob lends, Alice borrows against 10 ETH ($30,000) at 70% — healthy at $3,000, not after −40%.
                // Each action is its own block, so the node writes snapshots (every 3 blocks in tests).
                EngineAction[] actions =
                [
                    n.Deposit(bob, "USDC", 100_000 * usdc),
                    n.Deposit(borrower, "ETH", 10 * eth),
                    new Borrow(alice, new AccountKey(alice, 0), n.Asset("USDC"), 21_000 * usdc),
                    n.Deposit(bob, "USDT", 1_000 * usdc),
                    n.Deposit(bob, "USDT", 1_000 * usdc),
                    n.Deposit(bob, "USDT", 1_000 * usdc),
                ];
                ulong aliceNonce = 0, bobNonce = 0;
                foreach (EngineAction a in actions)
                {
                    bool isAlice = a.Signer == alice;
                    HttpResponseMessage r = await n.SubmitAsync(isAlice ? borrower : bob, a, isAlice ? aliceNonce++ : bobNonce++);
                    Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                }
            }

            Snapshot snap = new SnapshotStore(dir).LoadLatest()!;
            Assert.True(snap.Height >= 3, "the node must have written a snapshot");
            string scenario = $$"""
            {
              "name": "node book", "seed": 5, "paths": 1, "stepSeconds": 60, "durationSeconds": 7200,
              "venues": [ { "genesis": {{JsonSerializer.Serialize(Path.Combine(dir, ChainLoader.GenesisFileName))}}, "population": { "snapshot": {{JsonSerializer.Serialize(dir)}} } } ],
              "prices": { "model": "flat", "shock": 0.4, "shockAtSeconds": 600 },
              "oracle": { "updateIntervalSeconds": 60, "lagSeconds": 0, "deviationThreshold": 0.005, "heartbeatSeconds": 600 },
              "keepers": { "count": 1, "latencySeconds": 0, "capitalUsd": 1e7, "minProfitUsd": 0, "gasUsd": 0 }
            }
            """;
            Scenario s = ScenarioLoader.Parse(scenario, dir);
            StressSummary summary = StressRunner.Run(s).Summary;
            Assert.True(StateImage.TryDecode(snap.State, out ReadOnlySpan<byte> state, out _, out _));
            Core.Engine atSnapshot = Core.Engine.RestoreSnapshot(GenesisLoader.Parse(File.ReadAllText(Path.Combine(dir, ChainLoader.GenesisFileName))), state);
            Assert.True(atSnapshot.Accounts.Find(new AccountKey(alice, 0)) >= 0, "the snapshot holds the borrower");
            Assert.Equal(atSnapshot.Accounts.Count, summary.Accounts);
            Assert.True(summary.Liquidations.Max >= 1, "the −40% shock must liquidate the node's borrower");

            // Without the shock the same book stays untouched: the liquidation came from the market, not the loading.
            Assert.Equal(0, StressRunner.Run(s, shock: 0).Summary.Liquidations.Max);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
