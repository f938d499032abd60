using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Solvent.Core.Actions;
using Solvent.Core.Settlement;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests.Settlement;

/// <summary>A bridged venue on the in-process node: custody refusals over HTTP, bridge actions, commitments and proofs, replay.</summary>
public sealed class SettlementNodeTests
{
    private const long ChainA = 31337;
    private static readonly string ValidatorKey = "0x" + Convert.ToHexStringLower(Keccak256.Hash("settlement-test-validator"u8));
    private static readonly Address Validator = Secp256k1.AddressOf(Keccak256.Hash("settlement-test-validator"u8));
    private static readonly Address UsdcA = Address.Parse("0x00000000000000000000000000000000000a0001");

    /// <summary>The example venue with vault chain A holding USDC; commitments every 2 blocks.</summary>
    public static string WriteGenesis(string dir)
    {
        Directory.CreateDirectory(dir);
        JsonObject g = JsonNode.Parse(Hosting.NodeOptions.ExampleGenesis())!.AsObject();
        g["settlement"] = JsonNode.Parse($$"""
        { "custody": "bridged", "validators": ["{{Validator}}"], "threshold": 1, "forcedDeadlineSeconds": 60, "commitEveryBlocks": 2,
          "chains": [ { "chainId": {{ChainA}}, "vault": "0x00000000000000000000000000000000000a0000", "confirmations": 2,
                        "tokens": [ { "asset": "USDC", "token": "{{UsdcA}}" } ] } ] }
        """);
        string path = Path.Combine(dir, "bridged-genesis.json");
        File.WriteAllText(path, g.ToJsonString());
        return path;
    }

    private static async Task<JsonElement> WaitJsonAsync(TestNode n, string path, Func<JsonElement, bool> ready)
    {
        for (int i = 0; i < 200; i++)
        {
            HttpResponseMessage r = await n.Http.GetAsync(new Uri(path, UriKind.Relative));
            if (r.IsSuccessStatusCode)
            {
                JsonElement j = await TestNode.JsonOf(r);
                if (ready(j))
                {
                    return j;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{path} never became ready");
    }

    [Fact]
    public async Task Stopping_the_bridge_twice_is_harmless()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-settlement-" + Guid.NewGuid().ToString("N"));
        string genesis = WriteGenesis(dir + "-genesis");
        try
        {
            // An RPC nobody listens on: the watcher only retries, which is all this test needs running.
            var rpc = new Dictionary<string, string?> { [$"Solvent:Rpc:{ChainA}"] = "http://127.0.0.1:9" };
            await using TestNode n = await TestNode.StartAsync(dir, genesisFile: genesis, validatorKey: ValidatorKey, extra: rpc);
            Bridge.BridgeService bridge = n.Node.Bridge!;
            await bridge.DisposeAsync();
            await bridge.DisposeAsync();
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(dir + "-genesis", true);
        }
    }

    [Fact]
    public async Task Bridged_deposits_withdrawals_commitments_and_proofs_survive_a_restart()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-settlement-" + Guid.NewGuid().ToString("N"));
        string genesis = WriteGenesis(dir + "-genesis");
        try
        {
            string root;
            await using (TestNode n = await TestNode.StartAsync(dir, genesisFile: genesis, validatorKey: ValidatorKey))
            {
                ActionSigner alice = n.Signer("alice");
                int usdc = n.Asset("USDC");

                // The custody attack over HTTP: a fresh key signs a million USDC to itself.
                JsonElement refused = await TestNode.JsonOf(await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000_000_000), 0));
                Assert.Equal("DEPOSIT_NOT_BRIDGED", refused.GetProperty("error").GetProperty("code").GetString());

                // Nobody can post a bridge action: signed ingress does not know the form.
                HttpResponseMessage forged = await n.PostAsync($$"""{"system":"BridgedDeposit","chainId":"{{ChainA}}","txHash":"0x{{new string('0', 64)}}","logIndex":"0","depositId":"0","owner":"{{alice.Address}}","subaccount":"0","token":"{{UsdcA}}","amount":"1000000"}""");
                Assert.False(forged.IsSuccessStatusCode);

                var dep = new BridgedDeposit(ChainA, new byte[32], 1, 0, alice.Address, 0, UsdcA, 250_000_000);
                Assert.Equal("OK", (await n.Node.Sequencer.SubmitSystemAsync(dep)).Code);
                Assert.Equal("DEPOSIT_ALREADY_CREDITED", (await n.Node.Sequencer.SubmitSystemAsync(dep)).Code);

                HttpResponseMessage w = await n.SubmitAsync(alice, new WithdrawTo(alice.Address, new AccountKey(alice.Address, 0), usdc, 100_000_000, ChainA, alice.Address), 1);
                Assert.True(w.IsSuccessStatusCode, await w.Content.ReadAsStringAsync());

                // The idle chain is padded to the next commitment height; the record is then provable.
                JsonElement c = await WaitJsonAsync(n, "/v1/settlement/commitments/latest", j => j.GetProperty("withdrawals").GetString() == "1");
                byte[] digest = Convert.FromHexString(c.GetProperty("digest").GetString()![2..]);
                byte[] sig = Convert.FromHexString(c.GetProperty("signatures")[0].GetString()![2..]);
                Assert.Equal(SignatureError.None, Secp256k1.Recover(digest, sig, out Address signer));
                Assert.Equal(Validator, signer);

                JsonElement p = await n.GetJsonAsync("/v1/settlement/withdrawals/0/proof");
                JsonElement rec = p.GetProperty("record");
                var record = new WithdrawalRecord(0, Address.Parse(rec.GetProperty("recipient").GetString()!), long.Parse(rec.GetProperty("chainId").GetString()!, CultureInfo.InvariantCulture), Address.Parse(rec.GetProperty("token").GetString()!), long.Parse(rec.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal(new WithdrawalRecord(0, alice.Address, ChainA, UsdcA, 100_000_000), record);
                byte[][] proof = [.. p.GetProperty("proof").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()![2..]))];
                Assert.Equal(c.GetProperty("withdrawalsRoot").GetString(), "0x" + Convert.ToHexStringLower(WithdrawalTree.RootFromProof(record.Leaf(), proof, 0)));
                Assert.Equal(System.Net.HttpStatusCode.NotFound, (await n.Http.GetAsync(new Uri("/v1/settlement/withdrawals/1/proof", UriKind.Relative))).StatusCode);
                Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await n.Http.GetAsync(new Uri("/v1/settlement/withdrawals/-1/proof", UriKind.Relative))).StatusCode);

                JsonElement exits = await n.GetJsonAsync($"/v1/settlement/exits/{alice.Address}/proof");
                JsonElement leaf = Assert.Single(exits.GetProperty("leaves").EnumerateArray());
                Assert.Equal("150000000", leaf.GetProperty("amount").GetString());

                JsonElement chains = await n.GetJsonAsync("/v1/settlement/chains");
                JsonElement token = chains.GetProperty("chains")[0].GetProperty("tokens")[0];
                Assert.Equal("150000000", token.GetProperty("custody").GetProperty("raw").GetString());
                root = await n.StateRootAsync();
            }

            // The log replays the bridge actions (no signature, no nonce) to the same root.
            await using TestNode again = await TestNode.StartAsync(dir, genesisFile: genesis, validatorKey: ValidatorKey);
            Assert.Equal(root, await again.StateRootAsync());
            var redo = new BridgedDeposit(ChainA, new byte[32], 1, 0, again.Signer("alice").Address, 0, UsdcA, 250_000_000);
            Assert.Equal("DEPOSIT_ALREADY_CREDITED", (await again.Node.Sequencer.SubmitSystemAsync(redo)).Code);
        }
        finally
        {
            foreach (string d in new[] { dir, dir + "-genesis" })
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task Without_a_settlement_section_the_settlement_endpoints_say_so()
    {
        await using TestNode n = await TestNode.StartAsync();
        HttpResponseMessage r = await n.Http.GetAsync(new Uri("/v1/settlement/commitments/latest", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("SETTLEMENT_OFF", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
    }
}
