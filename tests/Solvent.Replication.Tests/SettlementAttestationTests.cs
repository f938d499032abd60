using System.Text.Json;
using Solvent.Core.State;
using Solvent.Crypto;
using Xunit.Abstractions;

namespace Solvent.Replication.Tests;

/// <summary>
/// Settlement and replication together: on a bridged venue the replicas' validators sign each settlement
/// commitment (state, withdrawals, exit and forced roots — what a vault's <c>commitRoot</c> checks), and every
/// node's latest commitment carries a threshold of those signatures, ordered by signer, so whichever node
/// posts can submit it.
/// </summary>
public class SettlementAttestationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_node_serves_its_commitment_signed_by_a_threshold_of_the_replicas()
    {
        using ReplicatedCluster? c = await ReplicatedCluster.StartAsync(settlement: true);
        if (c is null)
        {
            output.WriteLine("skipped: nats-server is not installed (tests/nats.sh installs it with apt as root)");
            return;
        }

        // One action starts the chain (a signed deposit is sequenced and refused by bridged custody); the
        // leader then pads the idle chain to the next commitment height, and every replica computes it.
        ReplicaProcess leader = await c.LeaderAsync(TimeSpan.FromSeconds(30));
        (System.Net.HttpStatusCode status, string body) = await new SignedLoad(c, 1, "settle").PostOnceAsync(leader.Url);
        output.WriteLine($"first action: {(int)status} {body}");
        foreach (ReplicaProcess n in c.Nodes)
        {
            JsonElement? got = null;
            string last = "";
            for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(200))
            {
                using HttpResponseMessage r = await c.Http.GetAsync(n.Url + "/v1/settlement/commitments/latest");
                last = $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}";
                if (r.IsSuccessStatusCode)
                {
                    JsonElement j = JsonDocument.Parse(last[4..]).RootElement.Clone();
                    if (j.GetProperty("signatures").GetArrayLength() >= 2)
                    {
                        got = j;
                        break;
                    }
                }
            }

            Assert.True(got is not null, $"{n.Url} has no commitment with 2 signatures: {last}\nfinality: {await n.FinalityAsync(c.Http)}\n{ReplicatedCluster.Replication(n.Output)}");
            JsonElement commitment = got!.Value;
            long height = commitment.GetProperty("height").GetInt64();
            Assert.True(height > 0 && height % ReplicatedCluster.CommitEveryBlocks == 0, $"commitment height {height}");

            // Each signature recovers, over the digest the vault checks, to a distinct replica validator, ascending.
            byte[] digest = Convert.FromHexString(commitment.GetProperty("digest").GetString()![2..]);
            var signers = new List<Address>();
            foreach (JsonElement s in commitment.GetProperty("signatures").EnumerateArray())
            {
                Assert.Equal(SignatureError.None, Secp256k1.Fastest.TryRecover(digest, Convert.FromHexString(s.GetString()![2..]), out Address signer));
                Assert.Contains(signer, c.Validators);
                signers.Add(signer);
            }

            for (int i = 1; i < signers.Count; i++)
            {
                Assert.True(signers[i - 1].CompareTo(signers[i]) < 0, $"signers not strictly ascending: {string.Join(", ", signers)}");
            }

            output.WriteLine($"[table] replicated settlement: {n.Url} commitment at height {height} signed by {signers.Count} of {c.Validators.Length} replica validators");
        }
    }
}
