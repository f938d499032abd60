using Solvent.Core.State;

namespace Solvent.Core.Tests;

/// <summary>
/// The "no hidden bad debt" invariant the property tests share, computed independently of the engine's own
/// write-off rule: a subaccount (not a protocol account, no perpetual position and no unsettled PnL — that
/// side has its own waterfall, and a profit the market could not yet pay settles against the debt later)
/// that owes an asset while none of its positive balances is worth one quantum of that debt at
/// oracle prices holds debt no lending liquidation can ever collect. Exact: cross-multiplied in big integers.
/// </summary>
internal static class UncollectableDebt
{
    /// <summary>Ids of every subaccount holding such debt.</summary>
    public static List<int> Find(Engine e)
    {
        var found = new List<int>();
        for (int id = 0; id < e.Accounts.Count; id++)
        {
            if (!e.IsProtocolAccount(id) && !HasPosition(e, id) && OwesUncovered(e, id))
            {
                found.Add(id);
            }
        }

        return found;
    }

    private static bool HasPosition(Engine e, int id)
    {
        for (int m = 0; m < e.Markets.Length; m++)
        {
            if (e.Accounts.Size(id, m) != 0 || e.Accounts.Quote(id, m) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool OwesUncovered(Engine e, int id)
    {
        int n = e.Pools.Length;
        for (int d = 0; d < n; d++)
        {
            if (e.Accounts.Scaled(id, d) >= 0)
            {
                continue;
            }

            AssetPool dp = e.Pools[d];
            bool covered = false;
            for (int a = 0; a < n && !covered; a++)
            {
                long s = e.Accounts.Scaled(id, a);
                AssetPool cp = e.Pools[a];
                covered = s > 0 && (System.Numerics.BigInteger)cp.ScaledToSupply(s) * cp.Price * dp.ValueDivisor >= (System.Numerics.BigInteger)dp.Price * cp.ValueDivisor;
            }

            if (!covered)
            {
                return true;
            }
        }

        return false;
    }
}
