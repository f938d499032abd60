using System.Net;
using System.Text;
using System.Text.Json;
using Solvent.Crypto;

namespace Solvent.Node.Tests;

public class FuzzTests
{
    /// <summary>
    /// 10,000+ mutations of valid signed actions (byte flips, truncations, insertions, duplicated and
    /// swapped spans, type confusions, huge numbers) over HTTP: never a 5xx, every refusal a JSON error
    /// with a stable code, the node healthy afterwards, and a block only for bodies that decoded.
    /// </summary>
    [Fact]
    public async Task Ten_thousand_mutated_requests_never_break_the_node()
    {
        await using TestNode n = await TestNode.StartAsync(blockMs: 1);
        ActionSigner alice = n.Signer("alice");
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1_000_000_000), 0)).StatusCode);
        byte[][] seeds =
        [
            Encoding.UTF8.GetBytes(alice.Sign(n.Deposit(alice, "USDC", 5), 1)),
            Encoding.UTF8.GetBytes(alice.Sign(new Core.Actions.Withdraw(alice.Address, new Core.State.AccountKey(alice.Address, 0), 0, 5), 1)),
            Encoding.UTF8.GetBytes(alice.Sign(new Core.Actions.PlaceOrder(alice.Address, new Core.State.AccountKey(alice.Address, 0), 0, 1000, 0, false), 1)),
            Encoding.UTF8.GetBytes(alice.Sign(new Core.Actions.Transfer(alice.Address, new Core.State.AccountKey(alice.Address, 0), new Core.State.AccountKey(alice.Address, 1), 0, 5), 1)),
        ];
        string[] tokens = ["null", "true", "-1", "1e400", "18446744073709551616", "\"\"", "[]", "{}", "\"0x\"", "0.5", "\"\\u0000\""];
        var rng = new Random(20261125);
        var codes = new Dictionary<string, int>();
        int decoded = 0;
        const int Count = 10_000;
        var bodies = new byte[Count][];
        for (int i = 0; i < Count; i++)
        {
            bodies[i] = Mutate(seeds[rng.Next(seeds.Length)], rng, tokens);
        }

        string rootBefore = await n.StateRootAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using HttpResponseMessage r = await n.PostAsync(bodies[i]);
            int status = (int)r.StatusCode;
            string text = await r.Content.ReadAsStringAsync();
            Assert.True(status is >= 200 and < 500, $"status {status} for {Encoding.UTF8.GetString(bodies[i])}: {text}");
            using JsonDocument d = JsonDocument.Parse(text);
            if (status == 200)
            {
                Interlocked.Increment(ref decoded);
                return;
            }

            string code = d.RootElement.GetProperty("error").GetProperty("code").GetString()!;
            Assert.Matches("^[A-Z0-9_]+$", code);
            if (d.RootElement.TryGetProperty("sequence", out _))
            {
                Interlocked.Increment(ref decoded);
            }

            lock (codes)
            {
                codes[code] = codes.GetValueOrDefault(code) + 1;
            }
        });

        JsonElement health = await n.GetJsonAsync("/v1/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        if (decoded == 0)
        {
            Assert.Equal(rootBefore, health.GetProperty("stateRoot").GetString());
        }

        // The mutations reach many distinct refusals, not one catch-all.
        Assert.True(codes.Count >= 6, string.Join(", ", codes.Select(kv => $"{kv.Key}={kv.Value}")));

        // A good action still goes through afterwards (a mutation that kept the signed content, such as
        // added whitespace, may have used alice's nonce 1).
        ulong next = ulong.Parse((await n.GetJsonAsync($"/v1/accounts/{alice.Address}")).GetProperty("nextNonce").GetString()!);
        Assert.InRange(next, 1UL, 2UL);
        Assert.Equal(HttpStatusCode.OK, (await n.SubmitAsync(alice, n.Deposit(alice, "USDC", 1), next)).StatusCode);
    }

    private static byte[] Mutate(byte[] seed, Random rng, string[] tokens)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = rng.Next(b.Count);
            switch (rng.Next(7))
            {
                case 0:
                    b[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    b.RemoveRange(at, b.Count - at);
                    break;
                case 2:
                    b.Insert(at, (byte)rng.Next(256));
                    break;
                case 3:
                    b.RemoveAt(at);
                    break;
                case 4:
                    int len = Math.Min(b.Count - at, 1 + rng.Next(16));
                    b.InsertRange(rng.Next(b.Count), b.GetRange(at, len));
                    break;
                case 5:
                    // Replace a JSON value after a colon by a confusing token.
                    int colon = b.IndexOf((byte)':', at);
                    if (colon > 0)
                    {
                        int end = colon + 1;
                        while (end < b.Count && b[end] != ',' && b[end] != '}')
                        {
                            end++;
                        }

                        b.RemoveRange(colon + 1, end - colon - 1);
                        b.InsertRange(colon + 1, Encoding.UTF8.GetBytes(tokens[rng.Next(tokens.Length)]));
                    }

                    break;
                default:
                    const string Confusers = "{}[]\",:0x9aF-\\ ";
                    b[at] = (byte)Confusers[rng.Next(Confusers.Length)];
                    break;
            }
        }

        return [.. b];
    }
}
