using System.Text.Json.Nodes;

namespace Solvent.Crypto;

/// <summary>What a wallet needs to sign Solvent actions with <c>eth_signTypedData_v4</c>.</summary>
public static class Eip712Schema
{
    /// <summary>
    /// <c>{"domain":{name,version,chainId,verifyingContract},"primaryTypes":[…],"types":{"EIP712Domain":[…],"Deposit":[{name,type},…],…}}</c>.
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
        foreach (ActionType t in ActionTypes.All)
        {
            var fields = new JsonArray();
            foreach (FieldSpec f in t.Fields)
            {
                fields.Add(Member(f.Name, f.SolidityType));
            }

            types[t.Name] = fields;
            primary.Add(t.Name);
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
        };
    }

    private static JsonObject Member(string name, string type) => new() { ["name"] = name, ["type"] = type };
}
