using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Ingress;

namespace Solvent.Node.Tests;

public class SpamTests
{
    [Fact]
    public async Task Random_signatures_at_nonce_zero_are_refused_before_sequencing_and_never_reach_a_block()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000), 0)).StatusCode);
        string root = await n.StateRootAsync();
        long height = (await n.GetJsonAsync("/v1/health")).GetProperty("height").GetInt64();

        // A valid-looking body with a random (low-s) signature recovers some address nobody holds.
        string template = alice.Sign(new Withdraw(alice.Address, new AccountKey(alice.Address, 0), n.Asset("USDC"), 1), 0);
        string sig = JsonDocument.Parse(template).RootElement.GetProperty("signature").GetString()!;
        int refused = 0;
        for (int i = 0; i < 40; i++)
        {
            byte[] r = RandomNumberGenerator.GetBytes(32);
            r[0] &= 0x7f;
            byte[] s = RandomNumberGenerator.GetBytes(32);
            s[0] &= 0x3f;
            string body = template.Replace(sig, "0x" + Convert.ToHexStringLower(r) + Convert.ToHexStringLower(s) + "1b", StringComparison.Ordinal);
            using HttpResponseMessage resp = await n.PostAsync(body);
            JsonElement e = await TestNode.JsonOf(resp);
            string code = e.GetProperty("error").GetProperty("code").GetString()!;
            if ((int)resp.StatusCode == 400 && code == "RECOVERY_FAILED")
            {
                continue; // r is not an x coordinate on the curve
            }

            Assert.True((int)resp.StatusCode == 403, $"{(int)resp.StatusCode} {e}");
            Assert.Equal("UNKNOWN_SIGNER", code);
            refused++;
        }

        Assert.True(refused > 10, $"only {refused} random signatures recovered");
        JsonElement responses = (await n.GetJsonAsync("/openapi/v1.json")).GetProperty("paths").GetProperty("/v1/actions").GetProperty("post").GetProperty("responses");
        Assert.True(responses.TryGetProperty("403", out _) && responses.TryGetProperty("429", out _), responses.ToString());
        JsonElement health = await n.GetJsonAsync("/v1/health");
        Assert.Equal(root, health.GetProperty("stateRoot").GetString());
        Assert.Equal(height, health.GetProperty("height").GetInt64());
    }

    [Fact]
    public async Task A_newcomer_may_only_start_with_a_positive_deposit_into_its_own_account_then_acts_freely()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner carol = n.Signer("carol"), dave = n.Signer("dave");
        string root = await n.StateRootAsync();
        var own = new AccountKey(carol.Address, 0);
        EngineAction[] refusedFirsts =
        [
            new OpenSubaccount(carol.Address, own, MarginMode.Cross),
            new Deposit(carol.Address, own, n.Asset("USDC"), 0),
            new Deposit(carol.Address, new AccountKey(dave.Address, 0), n.Asset("USDC"), 5),
            new Withdraw(carol.Address, own, n.Asset("USDC"), 1),
        ];
        foreach (EngineAction a in refusedFirsts)
        {
            using HttpResponseMessage r = await n.SubmitAsync(carol, a, 0);
            JsonElement e = await TestNode.JsonOf(r);
            Assert.True((int)r.StatusCode == 403, $"{a.GetType().Name}: {(int)r.StatusCode} {e}");
            Assert.Equal("UNKNOWN_SIGNER", e.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(root, await n.StateRootAsync());
        Assert.Equal("0", (await n.GetJsonAsync($"/v1/accounts/{carol.Address}")).GetProperty("nextNonce").GetString());

        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(carol, new Deposit(carol.Address, new AccountKey(carol.Address, 3), n.Asset("USDC"), 5), 0)).StatusCode);
        using HttpResponseMessage open = await n.SubmitAsync(carol, new OpenSubaccount(carol.Address, own, MarginMode.Cross), 1);
        Assert.True(open.StatusCode == HttpStatusCode.OK, await open.Content.ReadAsStringAsync());

        // Someone funded by another's deposit (a bridge, the faucet) holds an account and is known.
        using HttpResponseMessage gift = await n.SubmitAsync(carol, new Deposit(carol.Address, new AccountKey(dave.Address, 0), n.Asset("USDC"), 5), 2);
        Assert.True(gift.StatusCode == HttpStatusCode.OK, await gift.Content.ReadAsStringAsync());
        using HttpResponseMessage daveWithdraw = await n.SubmitAsync(dave, new Withdraw(dave.Address, new AccountKey(dave.Address, 0), n.Asset("USDC"), 1), 0);
        Assert.True(daveWithdraw.StatusCode == HttpStatusCode.OK, await daveWithdraw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signer_beyond_its_burst_gets_429_with_retry_after_and_others_are_unaffected()
    {
        await using TestNode n = await TestNode.StartAsync(rateLimit: (1, 3));
        ActionSigner alice = n.Signer("alice"), bob = n.Signer("bob");
        for (ulong i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1), i)).StatusCode);
        }

        string root = await n.StateRootAsync();
        using (HttpResponseMessage r = await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1), 3))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.Equal("RATE_LIMITED", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
            Assert.True(r.Headers.RetryAfter?.Delta is { } d && d >= TimeSpan.FromSeconds(1), r.Headers.RetryAfter?.ToString());
        }

        Assert.Equal(root, await n.StateRootAsync());
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(bob, n.Deposit(bob, "USDC", 1), 0)).StatusCode);

        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1), 3)).StatusCode);
    }

    [Fact]
    public void The_limiter_refills_at_its_rate_caps_at_its_burst_and_bounds_its_table()
    {
        long now = 0;
        var l = new SignerRateLimiter(ratePerSecond: 10, burst: 5, maxSigners: 2, () => now, frequency: 1000);
        Address a = Address.Parse("0x00000000000000000000000000000000000000a1"), b = Address.Parse("0x00000000000000000000000000000000000000b2"), c = Address.Parse("0x00000000000000000000000000000000000000c3");
        for (int i = 0; i < 5; i++)
        {
            Assert.True(l.TryAcquire(a, out _));
        }

        Assert.False(l.TryAcquire(a, out int retry));
        Assert.Equal(1, retry);
        now += 100; // one token at 10/s
        Assert.True(l.TryAcquire(a, out _));
        Assert.False(l.TryAcquire(a, out _));
        now += 10_000; // long idle: back to the burst, not beyond
        for (int i = 0; i < 5; i++)
        {
            Assert.True(l.TryAcquire(a, out _));
        }

        Assert.False(l.TryAcquire(a, out _));

        // The table holds two signers; a third is refused while both are active ...
        Assert.True(l.TryAcquire(b, out _));
        Assert.False(l.TryAcquire(c, out int wait));
        Assert.True(wait >= 1);
        Assert.Equal(2, l.Tracked);

        // ... and admitted once an idle one (refilled) can be forgotten.
        now += 1_000;
        Assert.True(l.TryAcquire(c, out _));
        Assert.True(l.Tracked <= 2);
    }

    [Fact]
    public async Task A_typed_data_body_as_a_wallet_signs_it_is_accepted_and_a_wrong_domain_is_refused()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice");
        Deposit deposit = n.Deposit(alice, "USDC", 9);
        string native = alice.Sign(deposit, 0);
        JsonElement nat = JsonDocument.Parse(native).RootElement;
        JsonElement schema = await n.GetJsonAsync("/v1/eip712");
        string Typed(string domain, string signer) =>
            $"{{\"typedData\":{{\"types\":{{\"EIP712Domain\":{schema.GetProperty("types").GetProperty("EIP712Domain").GetRawText()},\"Deposit\":{schema.GetProperty("types").GetProperty("Deposit").GetRawText()}}},"
            + $"\"primaryType\":\"Deposit\",\"domain\":{domain},\"message\":{nat.GetProperty("message").GetRawText()}}},\"signature\":\"{nat.GetProperty("signature").GetString()}\"{signer}}}";
        string goodDomain = $"{{\"name\":\"Solvent\",\"version\":\"1\",\"chainId\":\"0x{n.Genesis.ChainId:x}\",\"verifyingContract\":\"{schema.GetProperty("domain").GetProperty("verifyingContract").GetString()!.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}\"}}";
        string badDomain = $"{{\"name\":\"Solvent\",\"version\":\"1\",\"chainId\":{n.Genesis.ChainId + 1},\"verifyingContract\":\"{schema.GetProperty("domain").GetProperty("verifyingContract").GetString()}\"}}";
        string root = await n.StateRootAsync();

        using (HttpResponseMessage r = await n.PostAsync(Typed(badDomain, "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("WRONG_DOMAIN", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        }

        using (HttpResponseMessage r = await n.PostAsync(Typed(goodDomain, $",\"signer\":\"{n.Signer("mallory").Address}\"")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("SIGNER_MISMATCH", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(root, await n.StateRootAsync());
        using (HttpResponseMessage r = await n.PostAsync(Typed(goodDomain, $",\"signer\":\"{alice.Address}\"")))
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }

        // The log keeps the native form, so the block reads back (and replays) like any other.
        JsonElement block = await n.GetJsonAsync("/v1/blocks/latest");
        Assert.Equal("Deposit", block.GetProperty("actions")[0].GetProperty("type").GetString());
        Assert.Equal("9", (await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0")).GetProperty("account").GetProperty("balances")[0].GetProperty("balance").GetProperty("raw").GetString());
    }
}
