using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Bridge;
using Xunit.Abstractions;

namespace Solvent.Node.Tests.Settlement;

/// <summary>
/// Two Anvil chains with the real vaults: deposits on A and B credited by the node's bridge, a borrow and a
/// withdrawal paid by a claim on B against a posted root, then a forced withdrawal left unprocessed past its
/// deadline, a freeze, and every account's exit.
/// </summary>
public sealed class VaultEndToEndTests(ITestOutputHelper output)
{
    private const long ChainA = 31337, ChainB = 31338;
    private static readonly byte[] ValidatorKey = Keccak256.Hash("e2e-validator"u8);

    private sealed record Deployed(string Vault, Dictionary<string, string> Tokens);

    private static async Task<Deployed> DeployAsync(AnvilChain chain, byte[] domain, string validator, string[] symbols, byte[] decimals)
    {
        var d = new VaultDeployer(Path.Combine(AnvilChain.RepoRoot(), "contracts", "out"), chain.Url, AnvilChain.Keys[0], chain.ChainId);
        var tokens = new Dictionary<string, string>();
        for (int i = 0; i < symbols.Length; i++)
        {
            tokens[symbols[i]] = await d.DeployTokenAsync("Test " + symbols[i], symbols[i], decimals[i]);
        }

        string vault = await d.DeployVaultAsync(domain, [validator], 1, 3, [.. tokens.Values]);
        return new Deployed(vault, tokens);
    }

    private static Web3 User(AnvilChain chain, int key) => new(new Account(AnvilChain.Keys[key], chain.ChainId), chain.Url);

    private static async Task SendAsync<T>(Web3 w, string to, T fn)
        where T : Nethereum.Contracts.FunctionMessage, new()
    {
        var r = await w.Eth.GetContractTransactionHandler<T>().SendRequestAndWaitForReceiptAsync(to, fn);
        Assert.True(r.Status.Value == 1, $"{typeof(T).Name} reverted");
    }

    private static async Task DepositAsync(Web3 w, Deployed d, string symbol, BigInteger amount, uint sub = 0)
    {
        string token = d.Tokens[symbol];
        string me = ((Account)w.TransactionManager.Account).Address;
        await SendAsync(w, token, new MintFunction { To = me, Amount = amount });
        await SendAsync(w, token, new ApproveFunction { Spender = d.Vault, Amount = amount });
        await SendAsync(w, d.Vault, new VaultDepositFunction { Token = token, Amount = amount, Subaccount = sub });
    }

    private static Task<BigInteger> BalanceAsync(Web3 w, string token, string who) =>
        w.Eth.GetContractQueryHandler<BalanceOfFunction>().QueryAsync<BigInteger>(token, new BalanceOfFunction { Account = who });

    private static async Task UntilAsync(Func<Task<bool>> ready, string what, int seconds = 30)
    {
        var sw = Stopwatch.StartNew();
        while (!await ready())
        {
            Assert.True(sw.Elapsed.TotalSeconds < seconds, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    [AnvilFact]
    public async Task Deposit_borrow_withdraw_claim_then_forced_freeze_and_exits_drain_the_vaults()
    {
        using AnvilChain a = await AnvilChain.StartAsync(ChainA);
        using AnvilChain b = await AnvilChain.StartAsync(ChainB);
        JsonObject g = JsonNode.Parse(Hosting.NodeOptions.ExampleGenesis())!.AsObject();
        var domain = Eip712Domain.FromGenesis(Core.Config.GenesisLoader.Parse(g.ToJsonString()));
        Address validator = Secp256k1.AddressOf(ValidatorKey);
        Deployed da = await DeployAsync(a, domain.Separator.ToArray(), validator.ToString(), ["USDC", "WBTC"], [6, 8]);
        Deployed db = await DeployAsync(b, domain.Separator.ToArray(), validator.ToString(), ["USDC"], [6]);
        g["settlement"] = JsonNode.Parse($$"""
        { "custody": "bridged", "validators": ["{{validator}}"], "threshold": 1, "forcedDeadlineSeconds": 3, "commitEveryBlocks": 1,
          "chains": [
            { "chainId": {{ChainA}}, "vault": "{{da.Vault}}", "confirmations": 2, "tokens": [ { "asset": "USDC", "token": "{{da.Tokens["USDC"]}}" }, { "asset": "WBTC", "token": "{{da.Tokens["WBTC"]}}" } ] },
            { "chainId": {{ChainB}}, "vault": "{{db.Vault}}", "confirmations": 2, "tokens": [ { "asset": "USDC", "token": "{{db.Tokens["USDC"]}}" } ] } ] }
        """);
        string dir = Path.Combine(Path.GetTempPath(), "solvent-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir + "-g");
        string genesisFile = Path.Combine(dir + "-g", "genesis.json");
        await File.WriteAllTextAsync(genesisFile, g.ToJsonString());
        var extra = new Dictionary<string, string?>
        {
            ["Solvent:Rpc:31337"] = a.Url,
            ["Solvent:Rpc:31338"] = b.Url,
            ["Solvent:PosterKey"] = AnvilChain.Keys[1],
        };

        Web3 aliceA = User(a, 2), aliceB = User(b, 2), bobA = User(a, 3), bobB = User(b, 3);
        var alice = new ActionSigner(Convert.FromHexString(AnvilChain.Keys[2][2..]), domain);
        var bob = new ActionSigner(Convert.FromHexString(AnvilChain.Keys[3][2..]), domain);
        const int usdc = 0;
        string exitsJson;
        try
        {
            await using (TestNode n = await TestNode.StartAsync(dir, genesisFile: genesisFile, validatorKey: "0x" + Convert.ToHexStringLower(ValidatorKey), extra: extra))
            {
                Task<ulong> Credited(int chain) => n.Node.Sequencer.QueryAsync(e => e.Settlement!.NextDeposit[chain]);

                // Deposit-to-credit latency: from the deposit's receipt to its credit in a durable block.
                var latencies = new List<double>();
                for (int i = 0; i < 5; i++)
                {
                    await DepositAsync(aliceA, da, "USDC", 200_000_000);
                    var sw = Stopwatch.StartNew();
                    ulong want = (ulong)i + 1;
                    await UntilAsync(async () => await Credited(0) >= want, "alice's deposit on A");
                    latencies.Add(sw.Elapsed.TotalSeconds);
                }

                await DepositAsync(bobB, db, "USDC", 300_000_000);
                await DepositAsync(bobA, da, "WBTC", 10_000_000); // 0.1 WBTC
                await UntilAsync(async () => await Credited(1) >= 1 && await Credited(0) >= 6, "bob's deposits");
                latencies.Sort();
                double p50 = latencies[latencies.Count / 2];
                output.WriteLine($"[table] settlement deposit-to-credit p50 {p50:F2} s over {latencies.Count} deposits (1 s blocks, 2 confirmations, 200 ms poll)");
                Console.WriteLine($"[table] settlement deposit-to-credit p50 {p50:F2} s over {latencies.Count} deposits (1 s blocks, 2 confirmations, 200 ms poll)");

                // Bob borrows USDC against his WBTC, paid out on B; Alice withdraws to B (more than B's vault had from her).
                HttpResponseMessage borrow = await n.SubmitAsync(bob, new BorrowTo(bob.Address, new AccountKey(bob.Address, 0), usdc, 50_000_000, ChainB, bob.Address), 0);
                Assert.True(borrow.IsSuccessStatusCode, await borrow.Content.ReadAsStringAsync());
                HttpResponseMessage tooMuch = await n.SubmitAsync(alice, new WithdrawTo(alice.Address, new AccountKey(alice.Address, 0), usdc, 900_000_000, ChainB, alice.Address), 0);
                Assert.Equal("CHAIN_LIQUIDITY", (await TestNode.JsonOf(tooMuch)).GetProperty("error").GetProperty("code").GetString());
                HttpResponseMessage w = await n.SubmitAsync(alice, new WithdrawTo(alice.Address, new AccountKey(alice.Address, 0), usdc, 200_000_000, ChainB, alice.Address), 1);
                Assert.True(w.IsSuccessStatusCode, await w.Content.ReadAsStringAsync());

                // The root with both records reaches B; each claim pays its recipient once.
                ulong height = 0;
                await UntilAsync(
                    async () =>
                    {
                        if (n.Node.Settlement!.Latest is not { Withdrawals.Count: 2 } c)
                        {
                            return false;
                        }

                        height = c.Attestation.Height;
                        ulong last = await bobB.Eth.GetContractQueryHandler<LastHeightFunction>().QueryAsync<ulong>(db.Vault, new LastHeightFunction());
                        return last >= height;
                    },
                    "the commitment with both withdrawals to be accepted on B");
                foreach ((Web3 who, string addr, long amount, ulong id) in new[] { (bobB, bob.Address.ToString(), 50_000_000L, 0UL), (aliceB, alice.Address.ToString(), 200_000_000L, 1UL) })
                {
                    JsonElement p = await n.GetJsonAsync($"/v1/settlement/withdrawals/{id}/proof");
                    BigInteger before = await BalanceAsync(who, db.Tokens["USDC"], addr);
                    var claim = new ClaimFunction
                    {
                        R = new WithdrawalRecordStruct { Id = id, Recipient = addr, ChainId = ChainB, Token = db.Tokens["USDC"], Amount = amount },
                        Proof = [.. p.GetProperty("proof").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()![2..]))],
                    };
                    await SendAsync(who, db.Vault, claim);
                    Assert.Equal(before + amount, await BalanceAsync(who, db.Tokens["USDC"], addr));
                    await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(who, db.Vault, claim));
                }

                // Quiesce: the last commitment is the one both vaults hold; keep every owner's exit proofs.
                JsonElement latest = await n.GetJsonAsync("/v1/settlement/commitments/latest");
                long committed = latest.GetProperty("height").GetInt64();
                await UntilAsync(
                    async () => await aliceA.Eth.GetContractQueryHandler<LastHeightFunction>().QueryAsync<ulong>(da.Vault, new LastHeightFunction()) >= (ulong)committed
                        && await aliceB.Eth.GetContractQueryHandler<LastHeightFunction>().QueryAsync<ulong>(db.Vault, new LastHeightFunction()) >= (ulong)committed,
                    "both vaults to hold the last commitment");
                var exits = new JsonObject();
                foreach (ActionSigner s in new[] { alice, bob })
                {
                    exits[s.Address.ToString()] = JsonNode.Parse((await n.GetJsonAsync($"/v1/settlement/exits/{s.Address}/proof")).GetRawText());
                }

                exitsJson = exits.ToJsonString();
            }

            // The operator is gone: forced requests wait past their deadline, anyone freezes, everyone exits.
            await SendAsync(aliceA, da.Vault, new RequestForcedWithdrawalFunction { Token = da.Tokens["USDC"], Amount = 1, Subaccount = 0 });
            await SendAsync(aliceB, db.Vault, new RequestForcedWithdrawalFunction { Token = db.Tokens["USDC"], Amount = 1, Subaccount = 0 });
            await Task.Delay(TimeSpan.FromSeconds(5));
            await SendAsync(bobA, da.Vault, new FreezeFunction { RequestId = 0 });
            await SendAsync(bobB, db.Vault, new FreezeFunction { RequestId = 0 });

            JsonElement all = JsonDocument.Parse(exitsJson).RootElement;
            foreach (JsonProperty owner in all.EnumerateObject())
            {
                foreach (JsonElement leaf in owner.Value.GetProperty("leaves").EnumerateArray())
                {
                    long chainId = long.Parse(leaf.GetProperty("chainId").GetString()!, CultureInfo.InvariantCulture);
                    Web3 who = owner.Name == alice.Address.ToString() ? (chainId == ChainA ? aliceA : aliceB) : (chainId == ChainA ? bobA : bobB);
                    string vault = chainId == ChainA ? da.Vault : db.Vault;
                    await SendAsync(who, vault, new ExitFunction
                    {
                        Leaf = new ExitLeafStruct { Owner = owner.Name, ChainId = chainId, Token = leaf.GetProperty("token").GetString()!, Amount = BigInteger.Parse(leaf.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture) },
                        Index = leaf.GetProperty("index").GetInt32(),
                        Proof = [.. leaf.GetProperty("proof").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()![2..]))],
                    });
                }
            }

            // What stays in the vaults is the venue's own share (reserve interest, rounding), never more than a few units.
            BigInteger residue = await BalanceAsync(aliceA, da.Tokens["USDC"], da.Vault) + await BalanceAsync(aliceB, db.Tokens["USDC"], db.Vault) + await BalanceAsync(aliceA, da.Tokens["WBTC"], da.Vault);
            output.WriteLine($"[table] settlement vault residue after every exit: {residue} base units");
            Assert.InRange(residue, BigInteger.Zero, new BigInteger(1_000));
        }
        finally
        {
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
