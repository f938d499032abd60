using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Solvent.Core.Actions;
using Solvent.Core.State;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class BatchTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostBatchAsync(TestNode n, string body, string? signerHeader = null)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var req = new HttpRequestMessage(HttpMethod.Post, "/v1/actions/batch") { Content = content };
        if (signerHeader is not null)
        {
            req.Headers.Add("X-Solvent-Signer", signerHeader);
        }

        using HttpResponseMessage r = await n.Http.SendAsync(req);
        return (r.StatusCode, await TestNode.JsonOf(r));
    }

    private static string ArrayOf(params string[] elements) => "[" + string.Join(",", elements) + "]";

    private static JsonElement[] Results(JsonElement body) => [.. body.GetProperty("results").EnumerateArray()];

    private static async Task<(int Status, string Code)> SingleAsync(TestNode n, string body)
    {
        using HttpResponseMessage r = await n.PostAsync(body);
        return ((int)r.StatusCode, (await TestNode.JsonOf(r)).GetProperty("error").GetProperty("code").GetString()!);
    }

    private static async Task<string> RawBalanceAsync(TestNode n, Address owner, uint sub)
    {
        JsonElement acct = await n.GetJsonAsync($"/v1/accounts/{owner}/{sub}");
        return acct.GetProperty("account").GetProperty("balances")[0].GetProperty("balance").GetProperty("raw").GetString()!;
    }

    [Fact]
    public async Task Each_element_of_a_mixed_batch_gets_its_own_answer_in_order_and_a_replay_of_the_log_reaches_the_same_root()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solvent-batch-" + Guid.NewGuid().ToString("N"));
        var noSnapshots = new Dictionary<string, string?> { ["Solvent:SnapshotEvery"] = "0" };
        try
        {
            string root;
            await using (TestNode n = await TestNode.StartAsync(dir, extra: noSnapshots))
            {
                ActionSigner alice = n.Signer("alice"), mallory = n.Signer("mallory");
                string d0 = alice.Sign(n.Deposit(alice, "USDC", 100), 0);
                string d1 = alice.Sign(n.Deposit(alice, "USDC", 20), 1);
                string sig = JsonDocument.Parse(d1).RootElement.GetProperty("signature").GetString()!;
                string forged = d1.Replace(sig, sig[..^2] + "1d", StringComparison.Ordinal); // v = 29: no recovery id
                string d2 = alice.Sign(n.Deposit(alice, "USDC", 3), 2);
                string d3 = alice.Sign(n.Deposit(alice, "USDC", 4000), 3);
                string strangerWithdraw = mallory.Sign(new Withdraw(mallory.Address, new AccountKey(mallory.Address, 0), n.Asset("USDC"), 1), 0);
                string notAnAction = """{"type":"Deposit","message":{}}""";
                string huge = "{\"type\":\"" + new string('x', 9000) + "\"}";

                (HttpStatusCode status, JsonElement body) = await PostBatchAsync(n, ArrayOf(d0, forged, d1, d1, strangerWithdraw, "42", notAnAction, d3, d2, huge));
                Assert.Equal(HttpStatusCode.OK, status);
                JsonElement[] r = Results(body);
                Assert.Equal(10, r.Length);
                int[] statuses = [.. r.Select(e => e.GetProperty("status").GetInt32())];
                string[] codes = [.. r.Select(e => e.GetProperty("code").GetString()!)];

                // The refusals carry exactly what the single endpoint answers for the same bytes.
                (int forgedStatus, string forgedCode) = await SingleAsync(n, forged);
                (int numberStatus, string numberCode) = await SingleAsync(n, "42");
                (int shapeStatus, string shapeCode) = await SingleAsync(n, notAnAction);
                Assert.True(forgedStatus == 400, $"{forgedStatus} {forgedCode}");
                int[] expected = [200, forgedStatus, 200, 409, 403, numberStatus, shapeStatus, 425, 200, 413];
                string[] expectedCodes = ["OK", forgedCode, "OK", "NONCE_REPLAYED", "UNKNOWN_SIGNER", numberCode, shapeCode, "NONCE_GAP", "OK", "BODY_TOO_LARGE"];
                Assert.Equal(expected, statuses);
                Assert.Equal(expectedCodes, codes);
                Assert.Equal(400, numberStatus);
                Assert.Equal(400, shapeStatus);
                foreach (int i in new[] { 1, 3, 4, 5, 6, 7, 9 })
                {
                    Assert.False(r[i].TryGetProperty("sequence", out _), r[i].ToString());
                    Assert.False(string.IsNullOrEmpty(r[i].GetProperty("message").GetString()));
                }

                // Applied in the batch's order: sequence numbers rise with the array index.
                long s0 = r[0].GetProperty("sequence").GetInt64(), s2 = r[2].GetProperty("sequence").GetInt64(), s8 = r[8].GetProperty("sequence").GetInt64();
                Assert.Equal([1L, 2L, 3L], new[] { s0, s2, s8 });
                Assert.Contains(r[8].GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "Deposited");

                // Nothing lost, nothing doubled: 100 + 20 + 3 and the next nonce is 3.
                Assert.Equal("123", await RawBalanceAsync(n, alice.Address, 0));
                Assert.Equal("3", (await n.GetJsonAsync($"/v1/accounts/{alice.Address}")).GetProperty("nextNonce").GetString());
                root = await n.StateRootAsync();

                // The same batch again: every element is refused, the state does not move.
                (status, body) = await PostBatchAsync(n, ArrayOf(d0, d1, d2));
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.All(Results(body), e => Assert.Equal("NONCE_REPLAYED", e.GetProperty("code").GetString()));
                Assert.Equal(root, await n.StateRootAsync());
            }

            // No snapshots: the restart re-verifies and re-applies every logged block from genesis.
            await using (TestNode replayed = await TestNode.StartAsync(dir, extra: noSnapshots))
            {
                Assert.Equal(root, await replayed.StateRootAsync());
                Assert.Equal("123", await RawBalanceAsync(replayed, replayed.Signer("alice").Address, 0));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task One_owner_interleaving_nonces_over_its_subaccounts_and_another_signer_lands_exactly_once_each()
    {
        await using TestNode n = await TestNode.StartAsync();
        ActionSigner alice = n.Signer("alice"), bob = n.Signer("bob");
        string A(uint sub, long amount, ulong nonce) => alice.Sign(n.Deposit(alice, "USDC", amount, sub), nonce);
        string B(long amount, ulong nonce) => bob.Sign(n.Deposit(bob, "USDC", amount), nonce);

        // Nonce 4 arrives before 3 (a gap, refused); the later 3 and a resent 4 then land.
        (HttpStatusCode status, JsonElement body) = await PostBatchAsync(n, ArrayOf(
            A(0, 1, 0), B(10, 0), A(1, 2, 1), B(20, 1), A(0, 4, 2), A(2, 8, 4), A(2, 16, 3), A(2, 32, 4), B(40, 1)));
        Assert.Equal(HttpStatusCode.OK, status);
        string[] codes = [.. Results(body).Select(e => e.GetProperty("code").GetString()!)];
        Assert.Equal(["OK", "OK", "OK", "OK", "OK", "NONCE_GAP", "OK", "OK", "NONCE_REPLAYED"], codes);
        Assert.Equal("5", await RawBalanceAsync(n, alice.Address, 0));
        Assert.Equal("2", await RawBalanceAsync(n, alice.Address, 1));
        Assert.Equal("48", await RawBalanceAsync(n, alice.Address, 2));
        Assert.Equal("30", await RawBalanceAsync(n, bob.Address, 0));
        Assert.Equal("5", (await n.GetJsonAsync($"/v1/accounts/{alice.Address}")).GetProperty("nextNonce").GetString());

        // Two concurrent batches of the same signer's next nonces: each nonce is used once, whichever order they land in.
        Task<(HttpStatusCode, JsonElement)> x = PostBatchAsync(n, ArrayOf(A(0, 64, 5), A(1, 128, 6)));
        Task<(HttpStatusCode, JsonElement)> y = PostBatchAsync(n, ArrayOf(A(0, 64, 5), A(1, 128, 6)));
        JsonElement[] both = [.. Results((await x).Item2), .. Results((await y).Item2)];
        Assert.Equal(2, both.Count(e => e.GetProperty("code").GetString() == "OK"));
        Assert.Equal("69", await RawBalanceAsync(n, alice.Address, 0));
        Assert.Equal("130", await RawBalanceAsync(n, alice.Address, 1));
    }

    [Fact]
    public async Task A_batch_cannot_pass_the_signer_rate_limit_and_malformed_or_oversized_batches_are_refused_whole()
    {
        var limits = new Dictionary<string, string?> { ["Solvent:MaxBatchActions"] = "5", ["Solvent:MaxBatchBytes"] = "20000" };
        await using TestNode n = await TestNode.StartAsync(rateLimit: (1, 3), extra: limits);
        ActionSigner alice = n.Signer("alice"), bob = n.Signer("bob");
        string root = await n.StateRootAsync();

        string[] five = [.. Enumerable.Range(0, 5).Select(i => alice.Sign(n.Deposit(alice, "USDC", 1), (ulong)i))];
        (HttpStatusCode status, JsonElement body) = await PostBatchAsync(n, ArrayOf([.. five, bob.Sign(n.Deposit(bob, "USDC", 1), 0)]));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BATCH_TOO_LARGE", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());

        foreach ((string bad, string code) in new[] { ("[]", "BATCH_EMPTY"), (" [ ] ", "BATCH_EMPTY"), ("{}", "MALFORMED_JSON"), ("[1,", "MALFORMED_JSON"), (ArrayOf(five[0]) + "[]", "MALFORMED_JSON"), ("\"x\"", "MALFORMED_JSON") })
        {
            (status, body) = await PostBatchAsync(n, bad);
            Assert.True(status == HttpStatusCode.BadRequest, $"{bad}: {(int)status} {body}");
            Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        }

        (status, body) = await PostBatchAsync(n, ArrayOf(five[0]), signerHeader: alice.Address.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, body) = await PostBatchAsync(n, ArrayOf(five[0], "\"" + new string('y', 20000) + "\""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("BODY_TOO_LARGE", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(root, await n.StateRootAsync());

        // Burst 3: a batch of five spends the bucket exactly as five single requests would.
        (status, body) = await PostBatchAsync(n, ArrayOf(five));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["OK", "OK", "OK", "RATE_LIMITED", "RATE_LIMITED"], Results(body).Select(e => e.GetProperty("code").GetString()!).ToArray());
        Assert.Equal(429, Results(body)[3].GetProperty("status").GetInt32());
        Assert.Equal("3", await RawBalanceAsync(n, alice.Address, 0));
        using HttpResponseMessage single = await n.PostAsync(five[3]);
        Assert.Equal(HttpStatusCode.TooManyRequests, single.StatusCode);
    }
}
