using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Solvent.Node.Ingress;

/// <summary>
/// Accepts what a wallet was asked to sign: <c>{"typedData":{types,primaryType,domain,message},"signature":"0x…"}</c>
/// (the <c>eth_signTypedData_v4</c> parameter, as an object or as the JSON string wallets pass) with an
/// optional <c>signer</c>. The domain must be the node's (else WRONG_DOMAIN) and the primary type's
/// members exactly the node's (else WRONG_TYPES): a signature over anything else would recover a
/// stranger. The body is then rewritten to the native <c>{"type","message","signature"}</c> form.
/// </summary>
public sealed class TypedDataBody
{
    /// <summary>The typed data names another type layout than the node signs against.</summary>
    public const string WrongTypes = "WRONG_TYPES";

    private readonly JsonObject _domain;
    private readonly JsonObject _types;

    /// <summary>Reads the domain and types from the schema the node serves at <c>GET /v1/eip712</c>.</summary>
    public TypedDataBody(string schemaJson)
    {
        JsonObject schema = JsonNode.Parse(schemaJson)!.AsObject();
        _domain = schema["domain"]!.AsObject();
        _types = schema["types"]!.AsObject();
    }

    /// <summary>Whether the body is in the typed-data form (a top-level <c>typedData</c> member).</summary>
    public static bool Applies(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("typedData"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the native decoder reports it.
        }

        return false;
    }

    /// <summary>Rewrites a typed-data body to the native wire form, or gives a stable code and message.</summary>
    public bool TryConvert(ReadOnlySpan<byte> body, out byte[] wire, out string code, out string message)
    {
        wire = [];
        code = NodeErrors.MalformedJson;
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 16 })?.AsObject()
                ?? throw new JsonException("null body");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            message = "not a JSON object: " + e.Message;
            return false;
        }

        foreach (KeyValuePair<string, JsonNode?> m in root)
        {
            if (m.Key is not ("typedData" or "signature" or "signer"))
            {
                message = $"unknown member '{Clip(m.Key)}' (expected typedData, signature, signer)";
                return false;
            }
        }

        JsonNode? typedNode = root["typedData"];
        JsonObject? typed;
        try
        {
            typed = typedNode?.GetValueKind() == JsonValueKind.String
                ? JsonNode.Parse(typedNode.GetValue<string>(), documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject
                : typedNode as JsonObject;
        }
        catch (JsonException e)
        {
            message = "typedData is a string but not JSON: " + e.Message;
            return false;
        }

        if (typed?["domain"] is not JsonObject domain || typed["types"] is not JsonObject types || typed["message"] is not JsonObject msg
            || typed["primaryType"] is not JsonValue pv || !pv.TryGetValue(out string? primaryType))
        {
            message = "typedData needs domain, types, primaryType and message (the eth_signTypedData_v4 parameter)";
            return false;
        }

        if (types["EIP712Domain"] is { } domainType && !JsonNode.DeepEquals(domainType, _types["EIP712Domain"]))
        {
            code = NodeErrors.WrongDomain;
            message = "typedData.types.EIP712Domain must be name, version, chainId, verifyingContract as GET /v1/eip712 lists them";
            return false;
        }

        if (DomainMismatch(domain) is { } why)
        {
            code = NodeErrors.WrongDomain;
            message = $"typedData.domain {why}; sign against GET /v1/eip712's domain";
            return false;
        }

        if (_types[primaryType] is not JsonArray expected)
        {
            code = "UNKNOWN_TYPE";
            message = $"unknown primaryType '{Clip(primaryType)}'";
            return false;
        }

        if (types[primaryType] is not JsonArray given || !JsonNode.DeepEquals(given, expected))
        {
            code = WrongTypes;
            message = $"typedData.types.{Clip(primaryType)} must be exactly the members GET /v1/eip712 lists, in order";
            return false;
        }

        var native = new JsonObject
        {
            ["type"] = primaryType,
            ["message"] = msg.DeepClone(),
            ["signature"] = root["signature"]?.DeepClone(),
        };
        if (root["signer"] is { } signer)
        {
            native["signer"] = signer.DeepClone();
        }

        wire = JsonSerializer.SerializeToUtf8Bytes(native);
        code = string.Empty;
        message = string.Empty;
        return true;
    }

    private string? DomainMismatch(JsonObject given)
    {
        foreach (string key in new[] { "name", "version" })
        {
            if (given[key] is not JsonValue v || !v.TryGetValue(out string? s) || s != _domain[key]!.GetValue<string>())
            {
                return $"{key} must be '{_domain[key]}'";
            }
        }

        long chainId = _domain["chainId"]!.GetValue<long>();
        if (!TryChainId(given["chainId"], out long gotChain) || gotChain != chainId)
        {
            return $"chainId must be {chainId}";
        }

        string contract = _domain["verifyingContract"]!.GetValue<string>();
        if (given["verifyingContract"] is not JsonValue c || !c.TryGetValue(out string? gotContract) || !string.Equals(gotContract, contract, StringComparison.OrdinalIgnoreCase))
        {
            return $"verifyingContract must be {contract}";
        }

        return given.Count == 4 ? null : "must have exactly name, version, chainId and verifyingContract";
    }

    // Wallet libraries write chainId as a number, a decimal string or a 0x hex string.
    private static bool TryChainId(JsonNode? node, out long chainId)
    {
        chainId = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.GetValueKind() == JsonValueKind.Number)
        {
            return v.TryGetValue(out chainId);
        }

        if (!v.TryGetValue(out string? s))
        {
            return false;
        }

        return s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out chainId)
            : long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out chainId);
    }

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
