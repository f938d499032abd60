using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Core.Eval;

/// <summary>A number as both a human decimal string and the raw integer, so JSON clients never round.</summary>
public sealed record Amount(string Value, string Raw)
{
    /// <summary>From a scaled integer.</summary>
    public static Amount Of(Int128 raw, int decimals) => new(DecimalString.Format(raw, decimals), raw.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One asset line of a subaccount report.</summary>
public sealed record BalanceLine(string Asset, Amount Balance, Amount Price, Amount Value, Amount? LiquidationPrice);

/// <summary>Health figures of one subaccount (values in USD).</summary>
public sealed record SubaccountReport(
    string Owner,
    uint Number,
    string Mode,
    IReadOnlyList<BalanceLine> Balances,
    Amount CollateralValue,
    Amount DebtValue,
    Amount InitialWeightedCollateral,
    Amount InitialWeightedLiabilities,
    Amount MaintenanceWeightedCollateral,
    Amount MaintenanceWeightedLiabilities,
    Amount InitialHealth,
    Amount MaintenanceHealth,
    Amount FreeCollateral,
    string HealthFactor,
    bool Liquidatable);

/// <summary>The answer of <c>solvent eval</c>.</summary>
public sealed record EvalReport(string Venue, IReadOnlyList<SubaccountReport> Subaccounts)
{
    /// <summary>Evaluates every subaccount of an engine, in id order.</summary>
    public static EvalReport Build(Engine engine)
    {
        var subs = new List<SubaccountReport>();
        AssetPool[] pools = engine.Pools;
        const int V = Precision.ValueDecimals;
        for (int id = 0; id < engine.Accounts.Count; id++)
        {
            ReadOnlySpan<long> scaled = engine.Accounts.Balances(id);
            Health h = HealthCalculator.Evaluate(scaled, pools);
            var lines = new List<BalanceLine>();
            for (int a = 0; a < scaled.Length; a++)
            {
                if (scaled[a] == 0)
                {
                    continue;
                }

                AssetPool p = pools[a];
                long amount = p.AmountOf(scaled[a]);
                Int128 value = amount >= 0 ? p.ValueOf(amount, Rounding.Down) : -p.ValueOf(-amount, Rounding.Up);
                long? lp = HealthCalculator.LiquidationPrice(scaled, pools, a);
                lines.Add(new BalanceLine(
                    p.Config.Symbol,
                    Amount.Of(amount, p.Config.QuantumDecimals),
                    Amount.Of(p.Price, Precision.PriceDecimals),
                    Amount.Of(value, V),
                    lp is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
            }

            AccountKey key = engine.Accounts.KeyOf(id);
            subs.Add(new SubaccountReport(
                key.Owner.ToString(),
                key.Number,
                engine.Accounts.ModeOf(id) == MarginMode.Cross ? "cross" : "isolated",
                lines,
                Amount.Of(h.CollateralValue, V),
                Amount.Of(h.DebtValue, V),
                Amount.Of(h.InitialCollateral, V),
                Amount.Of(h.InitialLiabilities, V),
                Amount.Of(h.MaintenanceCollateral, V),
                Amount.Of(h.MaintenanceLiabilities, V),
                Amount.Of(h.InitialHealth, V),
                Amount.Of(h.MaintenanceHealth, V),
                Amount.Of(h.FreeCollateral, V),
                h.HealthFactorWad is { } hf ? DecimalString.Format(hf, 18) : "infinity",
                h.IsLiquidatable));
        }

        return new EvalReport(engine.Genesis.Name, subs);
    }
}
