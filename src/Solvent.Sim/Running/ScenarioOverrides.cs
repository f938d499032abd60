using System.Globalization;
using Solvent.Core.Config;
using Solvent.Sim.Scenarios;

namespace Solvent.Sim.Running;

/// <summary>Sweepable parameters: each returns a changed copy of a scenario, validated like a genesis.</summary>
public static class ScenarioOverrides
{
    /// <summary>Parameter names <c>stress sweep --param</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["maintenanceMargin", "liquidationPenalty", "keeperLatency", "poolDepth"];

    /// <summary>
    /// maintenanceMargin m: every collateral's maintenance weight becomes 1 − m (initial weight at most
    /// that) and every market's maintenance margin fraction m; liquidationPenalty p: every asset's penalty;
    /// keeperLatency s: the latency distribution moved so its centre is s seconds; poolDepth f: every pool's
    /// depth × f. Throws <see cref="ScenarioException"/> (path <c>--param</c>) for unknown names or values the
    /// genesis rules reject.
    /// </summary>
    public static Scenario Apply(Scenario s, string name, double value)
    {
        string where = $"--param {name}={value.ToString(CultureInfo.InvariantCulture)}";
        switch (name)
        {
            case "maintenanceMargin":
                Require(value is > 0 and < 1, where, "must be between 0 and 1");
                return Venues(s, g => g with
                {
                    Risk = [.. g.Risk.Select(r => Check(r.Collateral ? r with { MaintenanceAssetWeight = Ppm(1 - value), InitialAssetWeight = Math.Min(r.InitialAssetWeight, Ppm(1 - value)) } : r, where))],
                    MarketRisk = [.. g.MarketRisk.Select(r => r with { MaintenanceMarginFraction = Ppm(value), InitialMarginFraction = Math.Max(r.InitialMarginFraction, Ppm(value)) })],
                });
            case "liquidationPenalty":
                Require(value is >= 0 and < 1, where, "must be between 0 and 1");
                return Venues(s, g => g with { Risk = [.. g.Risk.Select(r => Check(r with { LiquidationPenalty = Ppm(value) }, where))] });
            case "keeperLatency":
                Require(value >= 0, where, "must be ≥ 0 seconds");
                Distribution d = s.Keepers.LatencySeconds;
                return s with { Keepers = s.Keepers with { LatencySeconds = d.Center > 0 ? d.Scaled(value / d.Center) : Distribution.Fixed(value) } };
            case "poolDepth":
                Require(value > 0, where, "must be a positive multiplier");
                return s with { Pools = s.Pools.ToDictionary(kv => kv.Key, kv => kv.Value with { DepthUsd = kv.Value.DepthUsd * value }, StringComparer.OrdinalIgnoreCase) };
            default:
                throw new ScenarioException("--param", $"unknown parameter {name}; use one of {string.Join(", ", Names)}");
        }
    }

    /// <summary>
    /// Every generated population resized to <paramref name="accounts"/> (CLI <c>--accounts</c>; the distributions
    /// stay; snapshot books keep their accounts), with what must grow with the book scaled by the same factor so
    /// results do not depend on the sample size: each venue's insurance funds and vAMM depth by its own factor,
    /// and the shared pools' depth, keeper capital and arbitrage capital by the factor of all generated accounts.
    /// </summary>
    public static Scenario WithAccounts(Scenario s, int accounts)
    {
        if (accounts is < 1 or > ScenarioLimits.MaxAccounts)
        {
            throw new ScenarioException("--accounts", $"must be between 1 and {ScenarioLimits.MaxAccounts:N0}");
        }

        double before = 0, after = 0;
        var venues = new List<VenueSpec>();
        foreach (VenueSpec v in s.Venues)
        {
            if (v.Population is not { } pop)
            {
                venues.Add(v);
                continue;
            }

            double f = (double)accounts / pop.Accounts;
            before += pop.Accounts;
            after += accounts;
            venues.Add(v with
            {
                Population = pop with { Accounts = accounts },
                InsuranceUsd = v.InsuranceUsd.ToDictionary(kv => kv.Key, kv => kv.Value * f),
                MarketInsuranceUsd = v.MarketInsuranceUsd.ToDictionary(kv => kv.Key, kv => kv.Value * f),
                Genesis = v.Genesis with
                {
                    Markets = [.. v.Genesis.Markets.Select(m => m with { AmmBaseReserve = Scale(m.AmmBaseReserve, f) })],

                    // Open-interest-scaled margin: the band is the venue's, so a sample of it sees the band scaled alike.
                    MarketRisk = [.. v.Genesis.MarketRisk.Select(r => r with { OpenInterestLower = Scale(r.OpenInterestLower, f), OpenInterestUpper = Math.Max(Scale(r.OpenInterestLower, f) + 1, Scale(r.OpenInterestUpper, f)) })],
                },
            });
        }

        double all = before > 0 ? after / before : 1;
        return s with
        {
            Venues = venues,
            Pools = s.Pools.ToDictionary(kv => kv.Key, kv => kv.Value with { DepthUsd = kv.Value.DepthUsd * all }, StringComparer.OrdinalIgnoreCase),
            Keepers = s.Keepers with { CapitalUsd = s.Keepers.CapitalUsd * all },
            Arbitrage = s.Arbitrage is { } a ? a with { CapitalUsd = a.CapitalUsd * all } : null,
        };
    }

    private static long Scale(long x, double f) => (long)Math.Clamp(Math.Round(x * f), x > 0 ? 1 : 0, PerpRiskParams.MaxAmount);

    // A snapshot venue's parameters come from the snapshot, so the change is also kept to be replayed on them.
    private static Scenario Venues(Scenario s, Func<Genesis, Genesis> change) =>
        s with { Venues = [.. s.Venues.Select(v => v with { Genesis = change(v.Genesis), RiskChange = v.RiskChange is { } before ? g => change(before(g)) : change })] };

    private static AssetRiskParams Check(AssetRiskParams r, string where) =>
        r.Validate() is { } err ? throw new ScenarioException(where, $"{err.Field} {err.Message}") : r;

    private static long Ppm(double x) => (long)Math.Round(x * 1e6);

    private static void Require(bool ok, string where, string message)
    {
        if (!ok)
        {
            throw new ScenarioException(where, message);
        }
    }
}
