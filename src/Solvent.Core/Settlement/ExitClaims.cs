using System.Numerics;
using Solvent.Core.Config;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core.Settlement;

/// <summary>
/// The escape hatch's claim rule (docs/settlement.md): what each owner takes from the vaults if everything
/// were closed at the committed prices. Four deterministic steps, every division rounding down (against
/// the claimant):
/// <list type="number">
/// <item>Per subaccount: balances at the current indexes (supply down, debt up), perpetual PnL with unsettled
/// funding added to the quote asset; each debt is netted against the subaccount's own collateral, quote asset
/// first then by asset id, the collateral taken rounded up. A subaccount whose collateral cannot cover its
/// debts claims nothing (its loss is the venue's). Protocol accounts claim nothing.</item>
/// <item>Per owner: the subaccounts' remainders summed.</item>
/// <item>Per asset: when owners claim more than the vaults hold (it was borrowed out), each claim is cut
/// pro rata to custody, and the cut is paid in the assets the vaults hold beyond their claims (treasury,
/// insurance, collateral of those who borrowed), pro rata to the cut's value at the committed prices;
/// when that surplus is worth less than the cuts, every cut is paid at the same fraction.</item>
/// <item>Per chain: each asset's claims fill the chains holding it in ascending chain id, owners in ascending
/// address order, so per (chain, token) the leaves never exceed that vault's custody.</item>
/// </list>
/// Not on the hot path: computed at commitment heights; big integers keep the value arithmetic exact.
/// </summary>
public static class ExitClaims
{
    /// <summary>Every leaf with a positive amount, sorted by (owner, chainId, token).</summary>
    public static IReadOnlyList<ExitLeaf> Compute(Engine e)
    {
        SettlementState st = e.Settlement ?? throw new InvalidOperationException("the venue has no settlement section");
        AssetPool[] pools = e.Pools;
        int n = pools.Length;
        int quote = e.Genesis.QuoteAsset;

        // Value unit: amount × price × 10^(D − quantumDecimals) is exact for every asset at once.
        int maxDecimals = 0;
        foreach (AssetPool p in pools)
        {
            maxDecimals = System.Math.Max(maxDecimals, p.Config.QuantumDecimals);
        }

        var unit = new BigInteger[n];
        for (int a = 0; a < n; a++)
        {
            unit[a] = pools[a].Price * BigInteger.Pow(10, maxDecimals - pools[a].Config.QuantumDecimals);
        }

        var owners = new SortedDictionary<Address, BigInteger[]>();
        var h = new BigInteger[n];
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            AccountKey key = e.Accounts.KeyOf(id);
            if (e.IsProtocolAccount(id) || key.Owner == Address.Zero || !Holdings(e, id, quote, h))
            {
                continue;
            }

            if (!NetDebts(h, unit, quote))
            {
                continue;
            }

            if (!owners.TryGetValue(key.Owner, out BigInteger[]? sum))
            {
                sum = new BigInteger[n];
                owners[key.Owner] = sum;
            }

            for (int a = 0; a < n; a++)
            {
                sum[a] += h[a];
            }
        }

        var custody = new BigInteger[n];
        for (int c = 0; c < st.Config.Chains.Count; c++)
        {
            foreach (SettlementToken t in st.Config.Chains[c].Tokens)
            {
                custody[t.Asset] += st.CustodyOf(c, t.Asset);
            }
        }

        Cover(owners, custody, unit);
        return Split(st, owners, n);
    }

    // Signed holdings per asset of one subaccount; false when a figure leaves the engine's range (claims nothing).
    private static bool Holdings(Engine e, int id, int quote, BigInteger[] h)
    {
        ReadOnlySpan<long> scaled = e.Accounts.Balances(id);
        try
        {
            for (int a = 0; a < h.Length; a++)
            {
                h[a] = e.Pools[a].AmountOf(scaled[a]);
            }

            ReadOnlySpan<long> sizes = e.Accounts.Sizes(id);
            ReadOnlySpan<long> quotes = e.Accounts.Quotes(id);
            ReadOnlySpan<Int128> snaps = e.Accounts.FundingSnapshots(id);
            for (int m = 0; m < sizes.Length; m++)
            {
                if (sizes[m] == 0 && quotes[m] == 0)
                {
                    continue;
                }

                PerpMarket market = e.Markets[m];
                AssetPool basePool = e.Pools[market.Config.BaseAsset];
                h[quote] += PerpHealth.Pnl(market, sizes[m], quotes[m], snaps[m], basePool.Price, basePool.ValueDivisor);
            }

            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    // Pays each debt from the subaccount's own collateral; false when the collateral does not cover the debts.
    private static bool NetDebts(BigInteger[] h, BigInteger[] unit, int quote)
    {
        for (int a = 0; a < h.Length; a++)
        {
            if (h[a] >= 0)
            {
                continue;
            }

            BigInteger debt = -h[a] * unit[a];
            h[a] = 0;
            for (int k = -1; k < h.Length && debt > 0; k++)
            {
                int b = k < 0 ? quote : k;
                if ((k >= 0 && b == quote) || h[b] <= 0)
                {
                    continue;
                }

                BigInteger worth = h[b] * unit[b];
                if (worth <= debt)
                {
                    debt -= worth;
                    h[b] = 0;
                }
                else
                {
                    // Collateral taken rounds up: the debtor never keeps a fraction of a unit it owes.
                    h[b] -= (debt + unit[b] - 1) / unit[b];
                    debt = 0;
                }
            }

            if (debt > 0)
            {
                return false;
            }
        }

        return true;
    }

    // Cuts every over-claimed asset to custody and pays the cuts in surplus assets.
    private static void Cover(SortedDictionary<Address, BigInteger[]> owners, BigInteger[] custody, BigInteger[] unit)
    {
        int n = custody.Length;
        var claimed = new BigInteger[n];
        foreach (BigInteger[] h in owners.Values)
        {
            for (int a = 0; a < n; a++)
            {
                claimed[a] += h[a];
            }
        }

        var cutValue = new SortedDictionary<Address, BigInteger>();
        BigInteger totalCut = 0;
        foreach ((Address owner, BigInteger[] h) in owners)
        {
            BigInteger v = 0;
            for (int a = 0; a < n; a++)
            {
                if (claimed[a] > custody[a] && h[a] > 0)
                {
                    BigInteger paid = h[a] * custody[a] / claimed[a];
                    v += (h[a] - paid) * unit[a];
                    h[a] = paid;
                }
            }

            if (v > 0)
            {
                cutValue[owner] = v;
                totalCut += v;
            }
        }

        if (totalCut == 0)
        {
            return;
        }

        var surplus = new BigInteger[n];
        BigInteger surplusValue = 0;
        for (int a = 0; a < n; a++)
        {
            if (custody[a] > claimed[a])
            {
                surplus[a] = custody[a] - claimed[a];
                surplusValue += surplus[a] * unit[a];
            }
        }

        if (surplusValue == 0)
        {
            return;
        }

        BigInteger spend = BigInteger.Min(totalCut, surplusValue);
        for (int b = 0; b < n; b++)
        {
            if (surplus[b] == 0)
            {
                continue;
            }

            // Of each surplus asset the same fraction spend / surplusValue is handed out, by each cut's share.
            BigInteger use = surplus[b] * spend / surplusValue;
            foreach ((Address owner, BigInteger v) in cutValue)
            {
                owners[owner][b] += use * v / totalCut;
            }
        }
    }

    private static List<ExitLeaf> Split(SettlementState st, SortedDictionary<Address, BigInteger[]> owners, int n)
    {
        var remaining = new BigInteger[st.Config.Chains.Count][];
        for (int c = 0; c < remaining.Length; c++)
        {
            remaining[c] = new BigInteger[n];
            foreach (SettlementToken t in st.Config.Chains[c].Tokens)
            {
                remaining[c][t.Asset] = st.CustodyOf(c, t.Asset);
            }
        }

        var leaves = new List<ExitLeaf>();
        foreach ((Address owner, BigInteger[] h) in owners)
        {
            for (int a = 0; a < n; a++)
            {
                BigInteger left = h[a];
                for (int c = 0; c < remaining.Length && left > 0; c++)
                {
                    if (st.Config.Chains[c].TokenOf(a) is not { } token || remaining[c][a] == 0)
                    {
                        continue;
                    }

                    BigInteger take = BigInteger.Min(left, remaining[c][a]);
                    remaining[c][a] -= take;
                    left -= take;
                    leaves.Add(new ExitLeaf(owner, st.Config.Chains[c].ChainId, token, (long)take));
                }
            }
        }

        leaves.Sort();
        return leaves;
    }
}
