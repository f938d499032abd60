using System.Net;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class ApiTests
{
    [Fact]
    public async Task A_signed_deposit_is_acknowledged_with_sequence_and_height_and_shows_in_the_account()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice");
        using HttpResponseMessage r = await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 2_500_000), 0);
        JsonElement body = await TestNode.JsonOf(r);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(1, body.GetProperty("sequence").GetInt64());
        Assert.Equal(1, body.GetProperty("height").GetInt64());
        Assert.Equal("OK", body.GetProperty("code").GetString());
        Assert.Contains(body.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "Deposited");

        JsonElement acct = await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0");
        JsonElement usdc = acct.GetProperty("account").GetProperty("balances")[0];
        Assert.Equal("USDC", usdc.GetProperty("asset").GetString());
        Assert.Equal("2.5", usdc.GetProperty("balance").GetProperty("value").GetString());
        Assert.Equal("2500000", usdc.GetProperty("balance").GetProperty("raw").GetString());

        JsonElement owner = await n.GetJsonAsync($"/v1/accounts/{alice.Address}");
        Assert.Equal("1", owner.GetProperty("nextNonce").GetString());

        JsonElement block = await n.GetJsonAsync("/v1/blocks/latest");
        Assert.Equal(1, block.GetProperty("header").GetProperty("height").GetInt64());
        Assert.Equal("Deposit", block.GetProperty("actions")[0].GetProperty("type").GetString());
        Assert.Equal(block.GetProperty("header").GetProperty("stateRoot").GetString(), await n.StateRootAsync());
    }

    [Fact]
    public async Task An_engine_rejection_is_a_422_with_the_core_code_and_uses_the_nonce()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner bob = n.Signer("bob");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(bob, n.Deposit(bob, "USDC", 5), 0)).StatusCode);
        var withdraw = new Withdraw(bob.Address, new AccountKey(bob.Address, 1), n.Asset("USDC"), 1);
        using HttpResponseMessage r = await n.SubmitAsync(bob, withdraw, 1);
        JsonElement body = await TestNode.JsonOf(r);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Equal("UNKNOWN_ACCOUNT", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, body.GetProperty("height").GetInt64());
        using HttpResponseMessage again = await n.SubmitAsync(bob, withdraw, 1);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private const string Sig = "\"0x111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111b\"";

    public static TheoryData<string, string, int> BadBodies() => new()
    {
        { "not json", "MALFORMED_JSON", 400 },
        { "{\"type\":\"Deposit\",\"message\":", "MALFORMED_JSON", 400 },
        { "[]", "MALFORMED_JSON", 400 },
        { "{\"type\":\"Teleport\",\"message\":{},\"signature\":\"0x00\"}", "UNKNOWN_TYPE", 400 },
        { "{\"type\":\"Deposit\",\"message\":{\"owner\":12,\"subaccount\":0,\"asset\":0,\"amount\":1,\"nonce\":0},\"signature\":" + Sig + "}", "WRONG_FIELD_TYPE", 400 },
        { "{\"type\":\"Deposit\",\"message\":{\"owner\":\"0x0000000000000000000000000000000000000001\",\"subaccount\":0,\"asset\":0,\"amount\":\"1\",\"nonce\":0},\"signature\":\"0x00\"}", "", 400 },
        { "", "MALFORMED_JSON", 400 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_a_stable_4xx_code_and_leave_the_state_root_unchanged(string body, string code, int status)
    {
        await using TestNode n = await TestNode.StartAsync();
        string root = await n.StateRootAsync();
        using HttpResponseMessage r = await n.PostAsync(body);
        JsonElement e = await TestNode.JsonOf(r);
        Assert.Equal(status, (int)r.StatusCode);
        string actual = e.GetProperty("error").GetProperty("code").GetString()!;
        Assert.Matches("^[A-Z_]+$", actual);
        if (code.Length > 0)
        {
            Assert.Equal(code, actual);
        }

        Assert.False(string.IsNullOrEmpty(e.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(root, await n.StateRootAsync());
        Assert.Equal("ok", (await n.GetJsonAsync("/v1/health")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Refusals_before_sequencing_each_have_their_own_code_and_change_nothing()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000), 0)).StatusCode);
        string root = await n.StateRootAsync();

        // Replay of the same signed bytes.
        string signed = alice.Sign(n.Deposit(alice, "USDC", 7), 1);
        Assert.Equal(HttpStatusCode.OK, (await n.PostAsync(signed)).StatusCode);
        root = await n.StateRootAsync();
        await AssertRefused(n, await n.PostAsync(signed), 409, "NONCE_REPLAYED", root);

        // A nonce from the future.
        await AssertRefused(n, await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1), 9), 425, "NONCE_GAP", root);

        // A damaged signature (s ≥ n/2 or garbage r) is refused by the codec.
        using (JsonDocument d = JsonDocument.Parse(alice.Sign(n.Deposit(alice, "USDC", 1), 2)))
        {
            string sig = d.RootElement.GetProperty("signature").GetString()!;
            string bad = signed.Replace(JsonDocument.Parse(signed).RootElement.GetProperty("signature").GetString()!, "0x" + new string('f', 130), StringComparison.Ordinal);
            HttpResponseMessage r = await n.PostAsync(bad);
            Assert.Equal(400, (int)r.StatusCode);
            Assert.StartsWith("INVALID_SIGNATURE", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString());
            Assert.NotEqual(sig, bad);
        }

        // A huge body.
        await AssertRefused(n, await n.PostAsync(new byte[100_000]), 413, "BODY_TOO_LARGE", root);
        Assert.Equal(root, await n.StateRootAsync());
    }

    [Fact]
    public async Task A_signature_for_another_chain_id_never_moves_the_victims_funds()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000), 0)).StatusCode);
        var otherChain = ActionSigner.FromSeed("alice", new Eip712Domain(n.Genesis.ChainId + 1));
        var withdraw = new Withdraw(alice.Address, new AccountKey(alice.Address, 0), n.Asset("USDC"), 1_000_000);

        // With the signer claimed in the header the node refuses before sequencing.
        string root = await n.StateRootAsync();
        using (var claimed = new HttpRequestMessage(HttpMethod.Post, "/v1/actions") { Content = new StringContent(otherChain.Sign(withdraw, 1), System.Text.Encoding.UTF8, "application/json") })
        {
            claimed.Headers.Add("X-Solvent-Signer", alice.Address.ToString());
            await AssertRefused(n, await n.Http.SendAsync(claimed), 401, "SIGNER_MISMATCH", root);
        }

        // The same with the signer named in the body.
        await AssertRefused(n, await n.PostAsync(otherChain.SignNamed(withdraw, 1)), 401, "SIGNER_MISMATCH", root);

        // Without either, the signature recovers some other address that has no account: a later nonce
        // is a gap, and nonce 0 is refused before sequencing, so it never uses a nonce or a block slot.
        await AssertRefused(n, await n.PostAsync(otherChain.Sign(withdraw, 1)), 425, "NONCE_GAP", root);
        await AssertRefused(n, await n.PostAsync(otherChain.Sign(withdraw, 0)), 403, "UNKNOWN_SIGNER", root);
        JsonElement acct = await n.GetJsonAsync($"/v1/accounts/{alice.Address}/0");
        Assert.Equal("1000000", acct.GetProperty("account").GetProperty("balances")[0].GetProperty("balance").GetProperty("raw").GetString());
        JsonElement owner = await n.GetJsonAsync($"/v1/accounts/{alice.Address}");
        Assert.Equal("1", owner.GetProperty("nextNonce").GetString());
    }

    [Theory]
    [InlineData("/v1/accounts/0x12/0", 400)]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/x", 400)]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0", 404)]
    [InlineData("/v1/accounts/0x0000000000000000000000000000000000000001/0/proof", 404)]
    [InlineData("/v1/blocks/abc", 400)]
    [InlineData("/v1/blocks/99", 404)]
    [InlineData("/v1/blocks/latest", 404)]
    [InlineData("/v1/nothing", 404)]
    public async Task Bad_reads_are_json_errors(string path, int status)
    {
        await using TestNode n = await TestNode.StartAsync();
        using HttpResponseMessage r = await n.Http.GetAsync(path);
        Assert.Equal(status, (int)r.StatusCode);
        Assert.Matches("^[A-Z_]+$", (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString()!);
    }

    [Fact]
    public async Task An_address_the_chain_has_never_seen_reads_as_nonce_zero_and_the_api_document_says_so()
    {
        await using TestNode n = await TestNode.StartAsync();
        JsonElement owner = await n.GetJsonAsync("/v1/accounts/0x00000000000000000000000000000000000000ab");
        Assert.Equal("0", owner.GetProperty("nextNonce").GetString());
        Assert.Equal(0, owner.GetProperty("subaccounts").GetArrayLength());
        JsonElement responses = (await n.GetJsonAsync("/openapi/v1.json")).GetProperty("paths").GetProperty("/v1/accounts/{address}").GetProperty("get").GetProperty("responses");
        Assert.True(responses.TryGetProperty("200", out _));
        Assert.False(responses.TryGetProperty("404", out _), "the document promised a 404 the endpoint never answers");
    }

    [Fact]
    public async Task Read_endpoints_describe_the_venue()
    {
        await using TestNode n = await TestNode.StartAsync();
        JsonElement assets = await n.GetJsonAsync("/v1/assets");
        Assert.Equal(n.Genesis.Assets.Count, assets.GetArrayLength());
        Assert.Equal("USDC", assets[0].GetProperty("symbol").GetString());
        JsonElement markets = await n.GetJsonAsync("/v1/markets");
        Assert.Equal(n.Genesis.Markets.Count, markets.GetArrayLength());
        Assert.Equal(0, (await n.GetJsonAsync("/v1/liquidatable")).GetProperty("accounts").GetArrayLength());
        JsonElement schema = await n.GetJsonAsync("/v1/eip712");
        Assert.Equal(JsonValueKind.Object, schema.ValueKind);
        JsonElement openapi = await n.GetJsonAsync("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/v1/actions", out _));
        using HttpResponseMessage metrics = await n.Http.GetAsync("/metrics");
        Assert.Contains("solvent_queue_depth", await metrics.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_proof_verifies_against_the_accounts_root_in_the_block_header()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner[] users = [n.Signer("a"), n.Signer("b"), n.Signer("c")];
        foreach (ActionSigner u in users)
        {
            Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(u, n.Deposit(u, "USDC", 5_000_000), 0)).StatusCode);
        }

        string headerRoot = (await n.GetJsonAsync("/v1/blocks/latest")).GetProperty("header").GetProperty("accountsRoot").GetString()!;
        foreach (ActionSigner u in users)
        {
            JsonElement p = await n.GetJsonAsync($"/v1/accounts/{u.Address}/0/proof");
            Assert.Equal(headerRoot, p.GetProperty("root").GetString());
            byte[] leaf = Convert.FromHexString(p.GetProperty("leaf").GetString()![2..]);
            byte[][] path = [.. p.GetProperty("path").EnumerateArray().Select(x => Convert.FromHexString(x.GetString()![2..]))];
            Assert.True(MerkleTree.Verify(Convert.FromHexString(headerRoot[2..]), leaf, p.GetProperty("index").GetInt32(), path));
            leaf[^9] ^= 1;
            Assert.False(MerkleTree.Verify(Convert.FromHexString(headerRoot[2..]), leaf, p.GetProperty("index").GetInt32(), path));
        }
    }

    private static async Task AssertRefused(TestNode n, HttpResponseMessage r, int status, string code, string root)
    {
        JsonElement e = await TestNode.JsonOf(r);
        Assert.True(status == (int)r.StatusCode, $"expected {status} {code}, got {(int)r.StatusCode} {e}");
        Assert.Equal(code, e.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());
        r.Dispose();
    }
}
