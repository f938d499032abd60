using System.Text;
using System.Text.Json.Nodes;
using Solvent.Core.Actions;
using Solvent.Core.State;

namespace Solvent.Crypto.Tests;

public class BatchAndSchemaTests
{
    private static readonly Eip712Domain Domain = new(7);

    [Fact]
    public void Batch_results_match_one_by_one_decoding()
    {
        var signer = ActionSigner.FromSeed("bob", Domain);
        var requests = new ReadOnlyMemory<byte>[64];
        for (int i = 0; i < requests.Length; i++)
        {
            string json = signer.Sign(new Deposit(default, new AccountKey(signer.Address, (uint)i), 0, i + 1), (ulong)i);
            requests[i] = Encoding.UTF8.GetBytes(i % 5 == 4 ? json.Replace("\"type\"", "\"tipe\"") : json);
        }

        var results = new DecodeResult[requests.Length];
        BatchVerifier.DecodeAll(requests, Domain, results);
        for (int i = 0; i < requests.Length; i++)
        {
            bool ok = ActionCodec.TryDecode(requests[i].Span, Domain, out SignedAction? one, out string code, out _);
            Assert.Equal(ok, results[i].Ok);
            Assert.Equal(i % 5 != 4, ok);
            Assert.Equal(one?.Action, results[i].Action?.Action);
            Assert.Equal(one?.Digest, results[i].Action?.Digest);
            Assert.Equal(ok ? string.Empty : code, results[i].ErrorCode);
            if (ok)
            {
                Assert.Equal(signer.Address, results[i].Action!.Signer);
                Assert.Equal((ulong)i, results[i].Action!.Nonce);
            }
        }
    }

    [Fact]
    public void Describe_lists_the_domain_and_every_type_for_wallets()
    {
        JsonObject d = Eip712Schema.Describe(Domain);
        Assert.Equal("Solvent", (string?)d["domain"]!["name"]);
        Assert.Equal("1", (string?)d["domain"]!["version"]);
        Assert.Equal(7, (long)d["domain"]!["chainId"]!);
        Assert.Equal(Eip712Domain.DefaultVerifyingContract.ToString(), (string?)d["domain"]!["verifyingContract"]);
        JsonObject types = d["types"]!.AsObject();
        Assert.Equal(4, types["EIP712Domain"]!.AsArray().Count);
        Assert.Equal(ActionTypes.All.Count + 1, types.Count);
        JsonArray deposit = types["Deposit"]!.AsArray();
        Assert.Equal(["owner:address", "subaccount:uint32", "asset:uint32", "amount:int64", "nonce:uint64"], deposit.Select(f => $"{f!["name"]}:{f["type"]}"));
    }

    [Fact]
    public void Signer_helper_matches_the_codec()
    {
        var signer = new ActionSigner(Convert.FromHexString(Secp256k1Tests.CowKey[2..]), Domain);
        Assert.Equal(Secp256k1Tests.CowAddress, signer.Address.ToString());
        var order = new PlaceOrder(default, new AccountKey(signer.Address, 0), 0, -10, 0, true);
        Assert.True(ActionCodec.TryDecode(Encoding.UTF8.GetBytes(signer.Sign(order, 3)), Domain, out SignedAction? got, out _, out _));
        Assert.Equal(order with { Signer = signer.Address }, got.Action);
        Assert.Throws<ArgumentException>(() => new ActionSigner(new byte[32], Domain));
    }
}
