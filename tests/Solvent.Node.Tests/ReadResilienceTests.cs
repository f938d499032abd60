using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;
using Solvent.Node.Ingress;

namespace Solvent.Node.Tests;

public class ReadResilienceTests
{
    [Fact]
    public async Task After_a_sequencer_fault_state_reads_and_actions_answer_503_with_the_fault_and_logged_blocks_stay_readable()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000), 0)).StatusCode);

        // The node's own signing path runs on the sequencer loop; a failure there stops the loop.
        Sequencing.Ack own = await n.Node.Sequencer.SubmitOwnAsync(alice.Address, (Func<ulong, (DecodedAction, byte[])>)(_ => throw new IOException("disk gone"))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(own.Ok);
        for (int i = 0; i < 200 && n.Node.Sequencer.Fault is null; i++)
        {
            await Task.Delay(20);
        }

        JsonElement health = await n.GetJsonAsync("/v1/health");
        Assert.Equal("faulted", health.GetProperty("status").GetString());

        foreach (string path in new[] { $"/v1/accounts/{alice.Address}", $"/v1/accounts/{alice.Address}/0", $"/v1/accounts/{alice.Address}/0/proof", "/v1/assets", "/v1/markets", "/v1/liquidatable" })
        {
            using HttpResponseMessage r = await n.Http.GetAsync(path);
            JsonElement e = await TestNode.JsonOf(r);
            Assert.True(r.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)r.StatusCode} {e}");
            Assert.Equal("SEQUENCER_FAULTED", e.GetProperty("error").GetProperty("code").GetString());
            Assert.Contains("disk gone", e.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage r = await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1), 1))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.Equal("SEQUENCER_FAULTED", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(1, (await n.GetJsonAsync("/v1/blocks/1")).GetProperty("header").GetProperty("height").GetInt64());
    }

    [Fact]
    public async Task A_health_factor_beyond_128_bits_reads_as_a_capped_value_and_the_owner_still_reads_its_nonce()
    {
        await using TestNode n = await TestNode.StartAsync(dev: true);
        ActionSigner whale = n.Signer("whale");
        ActionSigner gov = n.Node.Dev!.Governance;
        int sol = n.Asset("SOL");

        ActionSigner lender = n.Signer("lender");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(lender, n.Deposit(lender, "USDC", 1_000_000_000), 0)).StatusCode);

        // The whole SOL supply cap as collateral, the minimum USDC borrow as debt, then the highest price
        // governance may set: about $3e14 of maintenance collateral against $10 of debt.
        using (HttpResponseMessage r = await n.SubmitAsync(whale, new Deposit(whale.Address, new AccountKey(whale.Address, 0), sol, 5_000_000_000_000_000), 0))
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage r = await n.SubmitAsync(whale, new Borrow(whale.Address, new AccountKey(whale.Address, 0), n.Asset("USDC"), 10_000_000), 1))
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }

        ulong govNonce = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{gov.Address}")).GetProperty("nextNonce").GetString()!, CultureInfo.InvariantCulture);
        using (HttpResponseMessage r = await n.SubmitAsync(gov, new SetOraclePrice(gov.Address, sol, long.MaxValue / 1000), govNonce))
        {
            Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        }

        JsonElement owner = await n.GetJsonAsync($"/v1/accounts/{whale.Address}");
        Assert.Equal("2", owner.GetProperty("nextNonce").GetString());
        JsonElement sub = owner.GetProperty("subaccounts")[0];
        BigInteger collateral = BigInteger.Parse(sub.GetProperty("maintenanceWeightedCollateral").GetProperty("raw").GetString()!, CultureInfo.InvariantCulture);
        BigInteger liabilities = BigInteger.Parse(sub.GetProperty("maintenanceWeightedLiabilities").GetProperty("raw").GetString()!, CultureInfo.InvariantCulture);
        BigInteger wad = BigInteger.Pow(10, 18), int128Max = (BigInteger.One << 127) - 1;
        Assert.True(collateral * wad > int128Max, "the collateral × 1e18 product must leave Int128 for this test to mean anything");
        Assert.True(liabilities > 0);
        BigInteger expected = BigInteger.Min(collateral * wad / liabilities, int128Max);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), sub.GetProperty("healthFactor").GetProperty("raw").GetString());

        JsonElement one = await n.GetJsonAsync($"/v1/accounts/{whale.Address}/0");
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), one.GetProperty("account").GetProperty("healthFactor").GetProperty("raw").GetString());
        Assert.Equal(HttpStatusCode.OK, (await n.Http.GetAsync($"/v1/accounts/{whale.Address}/0/proof")).StatusCode);
    }
}
