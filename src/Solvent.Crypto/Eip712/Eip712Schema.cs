using System.Text.Json.Nodes;

namespace Solvent.Crypto;

/// <summary>What a wallet needs to sign Solvent actions with <c>eth_signTypedData_v4</c>.</summary>
public static class Eip712Schema
{
    /// <summary>
    /// <c>{"domain":{name,version,chainId,verifyingContract},"primaryTypes":[…],"types":{"EIP712Domain":[…],"Deposit":[{name,type},…],…},
    /// "limits":{"Deposit":{"asset":"2147483647"},…}}</c>; <c>limits</c> lists unsigned fields whose accepted maximum
    /// (decimal string) is below their Solidity type's (wallets ignore it; clients can validate before signing).
    /// A wallet request takes <c>domain</c>, <c>types.EIP712Domain</c> plus <c>types[primaryType]</c>, the
    /// <c>primaryType</c> and a message; ethers' <c>signTypedData</c> wants only <c>{[primaryType]: types[primaryType]}</c>.
    /// </summary>
    public static JsonObject Describe(Eip712Domain domain)
    {
        var types = new JsonObject
        {
            ["EIP712Domain"] = new JsonArray(
                Member("name", "string"), Member("version", "string"), Member("chainId", "uint256"), Member("verifyingContract", "address")),
        };
        var primary = new JsonArray();
        var limits = new JsonObject();
        foreach (ActionType t in ActionTypes.All)
        {
            var fields = new JsonArray();
            var caps = new JsonObject();
            foreach (FieldSpec f in t.Fields)
            {
                fields.Add(Member(f.Name, f.SolidityType));
                if (f.Kind is FieldKind.Uint8 or FieldKind.Uint32 or FieldKind.Uint64 or FieldKind.Uint128 && f.Max < TypeMax(f.Kind))
                {
                    caps[f.Name] = f.Max.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            types[t.Name] = fields;
            primary.Add(t.Name);
            if (caps.Count > 0)
            {
                limits[t.Name] = caps;
            }
        }

        return new JsonObject
        {
            ["domain"] = new JsonObject
            {
                ["name"] = domain.Name,
                ["version"] = domain.Version,
                ["chainId"] = domain.ChainId,
                ["verifyingContract"] = domain.VerifyingContract.ToString(),
            },
            ["primaryTypes"] = primary,
            ["types"] = types,
            ["limits"] = limits,
        };
    }

    private static UInt128 TypeMax(FieldKind kind) => kind switch
    {
        FieldKind.Uint8 => byte.MaxValue,
        FieldKind.Uint32 => uint.MaxValue,
        FieldKind.Uint64 => ulong.MaxValue,
        _ => UInt128.MaxValue,
    };

    private static JsonObject Member(string name, string type) => new() { ["name"] = name, ["type"] = type };
}
