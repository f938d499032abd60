using System.Text.Json;
using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>Reads and validates genesis <c>settlement</c> (see docs/settlement.md); every problem is reported with its path.</summary>
public static class SettlementGenesisReader
{
    /// <summary>At most this many vault chains (each adds per-block work to the bridge and to every commitment).</summary>
    public const int MaxChains = 16;

    /// <summary>At most this many validators.</summary>
    public const int MaxValidators = 64;

    /// <summary>Reads <c>settlement</c>; null when absent.</summary>
    public static SettlementConfig? Read(JsonFieldReader r, JsonElement root, IReadOnlyList<AssetConfig> assets)
    {
        if (r.Get(root, "", "settlement", required: false) is not { } s)
        {
            return null;
        }

        const string P = "settlement";
        if (s.ValueKind != JsonValueKind.Object)
        {
            r.Fail(P, "must be an object");
            return null;
        }

        CustodyMode custody = CustodyMode.Bridged;
        switch (r.String(s, P, "custody"))
        {
            case "bridged":
                break;
            case "declared":
                custody = CustodyMode.Declared;
                break;
            case "":
                break;
            case string other:
                r.Fail(P + ".custody", $"must be \"bridged\" or \"declared\", not \"{other}\"");
                break;
        }

        var validators = new List<Address>();
        if (r.Get(s, P, "validators") is { } va)
        {
            if (va.ValueKind != JsonValueKind.Array)
            {
                r.Fail(P + ".validators", "must be an array of 0x addresses");
            }
            else
            {
                int i = 0;
                foreach (JsonElement v in va.EnumerateArray())
                {
                    string path = $"{P}.validators[{i++}]";
                    if (v.ValueKind != JsonValueKind.String || !Address.TryParse(v.GetString(), out Address a))
                    {
                        r.Fail(path, "must be a 0x-prefixed 20-byte hex address");
                    }
                    else if (a == Address.Zero)
                    {
                        r.Fail(path, "must not be the zero address (what a failed signature recovery yields)");
                    }
                    else if (validators.Contains(a))
                    {
                        r.Fail(path, $"{a} is listed twice");
                    }
                    else
                    {
                        validators.Add(a);
                    }
                }

                if (i == 0)
                {
                    r.Fail(P + ".validators", "must list at least one validator");
                }
                else if (i > MaxValidators)
                {
                    r.Fail(P + ".validators", $"at most {MaxValidators} validators");
                }
            }
        }

        validators.Sort();
        int threshold = (int)r.Integer(s, P, "threshold", 1, MaxValidators, 1);
        if (validators.Count > 0 && threshold > validators.Count)
        {
            r.Fail(P + ".threshold", $"must not exceed the number of validators ({validators.Count})");
        }

        long deadline = r.Integer(s, P, "forcedDeadlineSeconds", 1, 365L * 86_400, 86_400);
        long every = r.Integer(s, P, "commitEveryBlocks", 1, 1_000_000, 10);
        var chains = new List<SettlementChain>();
        if (r.Get(s, P, "chains") is { } ca)
        {
            if (ca.ValueKind != JsonValueKind.Array)
            {
                r.Fail(P + ".chains", "must be an array");
            }
            else
            {
                int i = 0;
                foreach (JsonElement c in ca.EnumerateArray())
                {
                    string path = $"{P}.chains[{i++}]";
                    if (ReadChain(r, c, path, assets) is { } chain)
                    {
                        if (chains.Exists(x => x.ChainId == chain.ChainId))
                        {
                            r.Fail(path + ".chainId", $"chain {chain.ChainId} is listed twice");
                        }
                        else
                        {
                            chains.Add(chain);
                        }
                    }
                }

                if (i == 0)
                {
                    r.Fail(P + ".chains", "must list at least one vault chain");
                }
                else if (i > MaxChains)
                {
                    r.Fail(P + ".chains", $"at most {MaxChains} chains");
                }
            }
        }

        chains.Sort((a, b) => a.ChainId.CompareTo(b.ChainId));
        return new SettlementConfig
        {
            Custody = custody,
            Validators = validators,
            Threshold = threshold,
            ForcedDeadlineSeconds = deadline,
            CommitEveryBlocks = every,
            Chains = chains,
        };
    }

    private static SettlementChain? ReadChain(JsonFieldReader r, JsonElement c, string path, IReadOnlyList<AssetConfig> assets)
    {
        if (c.ValueKind != JsonValueKind.Object)
        {
            r.Fail(path, "must be an object");
            return null;
        }

        long chainId = r.Integer(c, path, "chainId", 1, long.MaxValue, 1);
        Address vault = r.Address(c, path, "vault");
        if (vault == Address.Zero)
        {
            r.Fail(path + ".vault", "must not be the zero address");
        }

        int confirmations = (int)r.Integer(c, path, "confirmations", 0, 10_000, 0);
        var tokens = new List<SettlementToken>();
        if (r.Get(c, path, "tokens") is { } ta)
        {
            if (ta.ValueKind != JsonValueKind.Array)
            {
                r.Fail(path + ".tokens", "must be an array of { asset, token }");
            }
            else
            {
                int i = 0;
                foreach (JsonElement t in ta.EnumerateArray())
                {
                    string tp = $"{path}.tokens[{i++}]";
                    if (t.ValueKind != JsonValueKind.Object)
                    {
                        r.Fail(tp, "must be an object { asset, token }");
                        continue;
                    }

                    string symbol = r.String(t, tp, "asset");
                    Address token = r.Address(t, tp, "token");
                    int asset = -1;
                    for (int a = 0; a < assets.Count; a++)
                    {
                        if (string.Equals(assets[a].Symbol, symbol, StringComparison.OrdinalIgnoreCase))
                        {
                            asset = a;
                        }
                    }

                    if (asset < 0)
                    {
                        if (symbol.Length > 0)
                        {
                            r.Fail(tp + ".asset", $"'{symbol}' is not one of the assets");
                        }

                        continue;
                    }

                    if (assets[asset].Decimals != assets[asset].QuantumDecimals)
                    {
                        // One token unit must be one quantum, or a deposit's amount would need rounding the vault cannot see.
                        r.Fail(tp + ".asset", $"{symbol} is bridged, so its quantumDecimals ({assets[asset].QuantumDecimals}) must equal its decimals ({assets[asset].Decimals})");
                    }

                    if (token == Address.Zero)
                    {
                        r.Fail(tp + ".token", "must not be the zero address");
                    }
                    else if (tokens.Exists(x => x.Token == token))
                    {
                        r.Fail(tp + ".token", $"{token} is listed twice on this chain");
                    }
                    else if (tokens.Exists(x => x.Asset == asset))
                    {
                        r.Fail(tp + ".asset", $"{symbol} already has a token on this chain");
                    }
                    else
                    {
                        tokens.Add(new SettlementToken(asset, token));
                    }
                }

                if (i == 0)
                {
                    r.Fail(path + ".tokens", "must list at least one token");
                }
            }
        }

        return new SettlementChain(chainId, vault, confirmations, tokens);
    }
}
