using Solvent.Core;
using Solvent.Core.Eval;
using Solvent.Core.Math;
using Solvent.Core.Risk;
using Solvent.Core.State;

namespace Solvent.Node.Views;

/// <summary>
/// One subaccount's report (balances, positions, health, liquidation prices) in the same shape as
/// <c>solvent eval</c>. Runs on the sequencer thread between blocks, where the engine is consistent.
/// </summary>
public static class AccountReports
{
    /// <summary>Builds the report of dense id <paramref name="id"/>.</summary>
    public static SubaccountReport Build(Engine engine, int id)
    {
        AssetPool[] pools = engine.Pools;
        const int V = Precision.ValueDecimals;
        ReadOnlySpan<long> scaled = engine.Accounts.Balances(id);
        Health h = engine.HealthOf(id);
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
            long? lp = engine.LiquidationPriceOf(id, a);
            lines.Add(new BalanceLine(
                p.Config.Symbol,
                Amount.Of(amount, p.Config.QuantumDecimals),
                Amount.Of(p.Price, Precision.PriceDecimals),
                Amount.Of(value, V),
                lp is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
        }

        var positions = new List<PositionLine>();
        for (int mi = 0; mi < engine.Markets.Length; mi++)
        {
            long size = engine.Accounts.Size(id, mi);
            if (size == 0)
            {
                continue;
            }

            PerpMarket m = engine.Markets[mi];
            AssetPool bp = pools[m.Config.BaseAsset];
            long quote = engine.Accounts.Quote(id, mi);
            long pnl = PerpHealth.Pnl(m, size, quote, engine.Accounts.FundingSnapshot(id, mi), bp.Price, bp.ValueDivisor);
            long imf = PerpHealth.InitialFraction(m, size, bp.Price, bp.ValueDivisor);
            Int128 mr = FullMath.Div((Int128)PerpHealth.AbsNotional(size, bp.Price, bp.ValueDivisor) * m.Risk.MaintenanceMarginFraction, Precision.Ppm, Rounding.Up);
            Int128 entry = FullMath.Div(Int128.Abs(quote) * bp.ValueDivisor, System.Math.Abs(size), Rounding.Down);
            long? lp = engine.LiquidationPriceOf(id, m.Config.BaseAsset);
            positions.Add(new PositionLine(
                m.Config.Symbol,
                Amount.Of(size, m.BaseQuantumDecimals),
                Amount.Of(entry, Precision.PriceDecimals),
                Amount.Of(bp.Price, Precision.PriceDecimals),
                Amount.Of(pnl, V),
                Amount.Of(mr, V),
                Amount.Of(imf, 6),
                lp is { } x ? Amount.Of(x, Precision.PriceDecimals) : null));
        }

        AccountKey key = engine.Accounts.KeyOf(id);
        return new SubaccountReport(
            key.Owner.ToString(),
            key.Number,
            engine.Accounts.ModeOf(id) == MarginMode.Cross ? "cross" : "isolated",
            lines,
            positions,
            Amount.Of(h.CollateralValue, V),
            Amount.Of(h.DebtValue, V),
            Amount.Of(h.InitialCollateral, V),
            Amount.Of(h.InitialLiabilities, V),
            Amount.Of(h.MaintenanceCollateral, V),
            Amount.Of(h.MaintenanceLiabilities, V),
            Amount.Of(h.InitialHealth, V),
            Amount.Of(h.MaintenanceHealth, V),
            Amount.Of(h.FreeCollateral, V),
            Amount.Of(h.Equity, V),
            h.HealthFactorWad is { } hf ? Amount.Of(hf, 18) : null,
            h.IsLiquidatable);
    }
}
