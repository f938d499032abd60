using System.Text;
using System.Text.Json;
using Solvent.Crypto;

namespace Solvent.Cli.Commands;

/// <summary>
/// The <c>eip712</c> case kind of <c>solvent conform</c>: <c>{"chainId":N,"verify":[wire…],"sign":[{"request":{type,message},"privateKey":"0x…"}…]}</c>.
/// Every <c>verify</c> entry is decoded with the node's batch verifier (signer, digest, nonce or error code) — with BouncyCastle and,
/// when installed, libsecp256k1, which must agree;
/// every <c>sign</c> entry is hashed and signed by Solvent (digest, signature) so wallets' signatures can be compared byte for byte.
/// </summary>
internal static class ConformEip712
{
    public static object Run(JsonElement spec)
    {
        var domain = new Eip712Domain(spec.GetProperty("chainId").GetInt64());
        var verified = new List<object>();
        if (spec.TryGetProperty("verify", out JsonElement ve))
        {
            ReadOnlyMemory<byte>[] requests = [.. ve.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()))];
            var results = new DecodeResult[requests.Length];
            BatchVerifier.DecodeAll(requests, domain, results, Secp256k1.Instance);

            // Where libsecp256k1 is installed the node uses it: it must agree with BouncyCastle on every case.
            var native = new DecodeResult[requests.Length];
            if (NativeSecp256k1.Instance is { } lib)
            {
                BatchVerifier.DecodeAll(requests, domain, native, lib);
            }

            for (int i = 0; i < results.Length; i++)
            {
                DecodeResult r = results[i];
                if (NativeSecp256k1.Instance is not null && (native[i].ErrorCode != r.ErrorCode || native[i].Action?.Signer != r.Action?.Signer))
                {
                    verified.Add(new { ok = false, signer = string.Empty, digest = string.Empty, nonce = string.Empty, code = $"BACKENDS_DISAGREE: bouncycastle {r.ErrorCode}{r.Action?.Signer} libsecp256k1 {native[i].ErrorCode}{native[i].Action?.Signer}" });
                    continue;
                }

                verified.Add(r.Ok
                    ? new { ok = true, signer = r.Action!.Signer.ToString(), digest = Hex(r.Action.Digest), nonce = r.Action.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture), code = string.Empty }
                    : new { ok = false, signer = string.Empty, digest = string.Empty, nonce = string.Empty, code = r.ErrorCode });
            }
        }

        var signed = new List<object>();
        if (spec.TryGetProperty("sign", out JsonElement se))
        {
            foreach (JsonElement c in se.EnumerateArray())
            {
                byte[] request = Encoding.UTF8.GetBytes(c.GetProperty("request").GetRawText());
                byte[] key = Convert.FromHexString(c.GetProperty("privateKey").GetString()!.AsSpan(2));
                signed.Add(ActionCodec.TryDigest(request, domain, out SignedAction? u, out string code, out _)
                    ? new { digest = Hex(u.Digest), signature = Hex(Secp256k1.Sign(u.Digest, key)), code = string.Empty }
                    : new { digest = string.Empty, signature = string.Empty, code });
            }
        }

        return new { backends = NativeSecp256k1.Instance is null ? "bouncycastle" : "bouncycastle+libsecp256k1", verify = verified, sign = signed };
    }

    private static string Hex(ReadOnlySpan<byte> b) => "0x" + Convert.ToHexStringLower(b);
}
