using Solvent.Core;
using Solvent.Core.Config;
using Solvent.Core.Perps;
using Solvent.Core.State;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Population;

/// <summary>
/// A generated book, drawn once from the population's distributions and seed and imported into every
/// path's fresh engine (drawing is the slow part; importing is a few array writes per account). Borrowers
/// hold one collateral and one debt at a loan-to-value drawn from the distribution, capped at the
/// collateral's initial weight so every account opens healthy, or (a fitted book) at a health factor drawn
/// per collateral asset; traders hold collateral and one perpetual
/// position at a drawn leverage within the market's initial margin. A lender supplies twice what is
/// borrowed of each asset (50% utilization).
/// </summary>
internal sealed class PopulationTemplate : VenueBook
{
    private readonly Genesis _genesis;
    private readonly List<(int Account, int Asset, long Amount)> _balances = [];
    private readonly List<(int Account, int Market, long Size, long Quote)> _positions = [];

    public PopulationTemplate(PopulationSpec spec, Genesis g, double behaviourShare)
    {
        _genesis = g;
        var rng = new Random(spec.Seed);
        var e = new Engine(g);
        Accounts = spec.Accounts;
        Responsive = new bool[spec.Accounts];
        var borrowed = new long[g.Assets.Count];
        for (int i = 0; i < spec.Accounts; i++)
        {
            int coll = Pick(rng, spec.Collateral);
            double usd = Math.Max(10, spec.SizeUsd.Sample(rng));
            long collAmount = Worth(e, coll, usd);
            _balances.Add((i, coll, collAmount));
            Responsive[i] = rng.NextDouble() < behaviourShare;
            AssetRiskParams cr = g.Risk[coll];
            if (spec.PerpShare > 0 && rng.NextDouble() < spec.PerpShare)
            {
                int m = Pick(rng, spec.Markets);
                PerpMarket mk = e.Markets[m];
                int b = mk.Config.BaseAsset;
                double maxLev = 0.95 * cr.InitialAssetWeight / (double)mk.Risk.InitialMarginFraction;
                double lev = Math.Min(spec.Leverage.Sample(rng), maxLev);
                long size = Worth(e, b, usd * lev) / mk.Config.StepSize * mk.Config.StepSize;
                if (size == 0)
                {
                    continue;
                }

                size *= rng.NextDouble() < spec.LongShare ? 1 : -1;
                long quote = -(long)FundingMath.FloorDiv((Int128)size * e.Pools[b].Price, e.Pools[b].ValueDivisor);
                _positions.Add((i, m, size, quote));
                continue;
            }

            int debt = Pick(rng, spec.Debt);
            if (debt == coll || !g.Risk[debt].Borrowable || !cr.Collateral)
            {
                continue;
            }

            double ltv = spec.HealthFactor is { } hf
                ? Ltv(hf[coll].Sample(rng), cr, g.Risk[debt])
                : Math.Min(spec.Ltv.Sample(rng), 0.99 * cr.InitialAssetWeight / (double)g.Risk[debt].InitialLiabilityWeight);
            long debtAmount = Worth(e, debt, usd * ltv);
            if (debtAmount > 0)
            {
                _balances.Add((i, debt, -debtAmount));
                borrowed[debt] += debtAmount;
            }
        }

        for (int a = 0; a < borrowed.Length; a++)
        {
            if (borrowed[a] > 0)
            {
                _balances.Add((-1, a, checked(borrowed[a] * 2)));
            }
        }
    }

    /// <summary>
    /// The loan-to-value that puts a one-collateral, one-debt borrower at health factor <paramref name="hf"/>
    /// (maintenance-weighted collateral / maintenance-weighted debt, the engine's liquidation test). A fitted
    /// book describes accounts where prices have carried them since they borrowed, so it may sit between the
    /// initial and the maintenance requirement; it stays a hair above maintenance (1.0005) so the book imports
    /// solvent and the first liquidation is the price path's doing.
    /// </summary>
    public static double Ltv(double hf, AssetRiskParams collateral, AssetRiskParams debt) =>
        (double)collateral.MaintenanceAssetWeight / (Math.Max(hf, 1.0005) * (double)debt.MaintenanceLiabilityWeight);

    /// <summary>Generated accounts (the lender is extra).</summary>
    public override int Accounts { get; }

    /// <summary>Per account: whether it reacts before liquidation (behaviour share).</summary>
    public override bool[] Responsive { get; }

    /// <inheritdoc/>
    public override double StartPrice(int asset) => _genesis.Assets[asset].InitialPrice / 1e8;

    /// <inheritdoc/>
    public override Engine Build(out int[] ids)
    {
        var e = new Engine(_genesis);
        ids = ImportInto(e);
        return e;
    }

    public static AccountKey Key(int i) => new(new Address(0x5100_0000UL + (ulong)(uint)i, (ulong)(uint)i * 2654435761UL, 7), 0);

    public static long Worth(Engine e, int asset, double usd) =>
        (long)(usd * System.Math.Pow(10, e.Pools[asset].Config.QuantumDecimals) * 1e8 / e.Pools[asset].Price);

    /// <summary>Loads the book into a fresh engine; returns the dense id of account i at index i.</summary>
    public int[] ImportInto(Engine e)
    {
        e.Accounts.EnsureCapacity(e.Accounts.Count + Accounts + 64);
        var ids = new int[Accounts];
        Array.Fill(ids, -1);
        foreach ((int acct, int asset, long amount) in _balances)
        {
            AccountKey k = acct < 0 ? Lender : Key(acct);
            e.ImportBalance(k, MarginMode.Cross, asset, amount);
            if (acct >= 0 && ids[acct] < 0)
            {
                ids[acct] = e.Accounts.Find(k);
            }
        }

        foreach ((int acct, int m, long size, long quote) in _positions)
        {
            e.ImportPosition(Key(acct), MarginMode.Cross, m, size, quote);
        }

        return ids;
    }

    /// <summary>The book's lender.</summary>
    public static readonly AccountKey Lender = new(new Address(0x5200_0000UL, 1, 1), 0);

    private static int Pick(Random rng, IReadOnlyList<(int Id, double Weight)> weights)
    {
        double total = 0;
        foreach ((int _, double w) in weights)
        {
            total += w;
        }

        double x = rng.NextDouble() * total;
        foreach ((int id, double w) in weights)
        {
            x -= w;
            if (x < 0)
            {
                return id;
            }
        }

        return weights[^1].Id;
    }
}
