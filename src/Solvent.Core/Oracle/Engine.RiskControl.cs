using Solvent.Core.Config;
using Solvent.Core.Events;
using Solvent.Core.Math;
using Solvent.Core.Oracle;
using Solvent.Core.State;

namespace Solvent.Core;

/// <summary>
/// End of block, part two: the volatility-driven risk controllers (docs/risk-model.md). Each moves its
/// asset's haircuts or its market's margin fractions toward baseline × max(1, σ / σ_ref), clamped to the
/// governance bounds, by at most the configured change per hour — initial quickly, maintenance slowly —
/// and never raises maintenance by more than the least healthy exposed account can absorb, so no
/// parameter step alone makes an account liquidatable.
/// </summary>
public sealed partial class Engine
{
    private const long Hour = 3600;

    // Time of each controller's last step, in genesis order.
    private long[] _controllers = [];

    /// <summary>Runs every controller whose interval has passed (second half of <see cref="EndBlock"/>).</summary>
    public IReadOnlyList<EngineEvent> RunRiskControllers()
    {
        _events.Clear();
        IReadOnlyList<RiskControllerConfig> configs = Genesis.RiskControllers;
        for (int i = 0; i < configs.Count; i++)
        {
            long elapsed = Time - _controllers[i];
            if (elapsed >= configs[i].Interval)
            {
                _controllers[i] = Time;
                StepOrSkip(configs[i], System.Math.Min(elapsed, Hour));
            }
        }

        return TakeEvents();
    }

    /// <summary>The volatility a controller reads: max(realized EWMA, fresh implied), annualized ppm.</summary>
    public long ControllerVolatility(int feedAsset)
    {
        OracleFeed f = _feeds[feedAsset]!;
        long vol = f.RealizedVolatility;
        if (f.ImpliedVolatility > 0 && Time - f.ImpliedVolatilityTime <= f.Config.ImpliedVolatilityMaxAge)
        {
            vol = System.Math.Max(vol, f.ImpliedVolatility);
        }

        return vol;
    }

    private void Step(RiskControllerConfig c, long dt)
    {
        long vol = ControllerVolatility(c.Feed);

        // Margin scales linearly with volatility above the reference (a VaR-style margin is k·σ·√horizon).
        long mult = System.Math.Max(Precision.Ppm, FullMath.MulDiv(vol, Precision.Ppm, c.ReferenceVolatility, Rounding.Up));
        bool market = c.Market >= 0;
        long baseInit = market ? Genesis.MarketRisk[c.Market].InitialMarginFraction : Precision.Ppm - Genesis.Risk[c.Asset].InitialAssetWeight;
        long baseMaint = market ? Genesis.MarketRisk[c.Market].MaintenanceMarginFraction : Precision.Ppm - Genesis.Risk[c.Asset].MaintenanceAssetWeight;
        long curInit = market ? _markets[c.Market].Risk.InitialMarginFraction : Precision.Ppm - _pools[c.Asset].Risk.InitialAssetWeight;
        long curMaint = market ? _markets[c.Market].Risk.MaintenanceMarginFraction : Precision.Ppm - _pools[c.Asset].Risk.MaintenanceAssetWeight;

        long targetInit = System.Math.Clamp(FullMath.MulDiv(baseInit, mult, Precision.Ppm, Rounding.Up), c.InitialMin, c.InitialMax);
        long targetMaint = System.Math.Clamp(FullMath.MulDiv(baseMaint, mult, Precision.Ppm, Rounding.Up), c.MaintenanceMin, c.MaintenanceMax);
        long stepInit = FullMath.MulDiv(c.MaxInitialChangePerHour, dt, Hour, Rounding.Down);
        long stepMaint = FullMath.MulDiv(c.MaxMaintenanceChangePerHour, dt, Hour, Rounding.Down);

        long newMaint = Toward(curMaint, targetMaint, stepMaint);
        if (newMaint > curMaint)
        {
            newMaint = curMaint + System.Math.Min(newMaint - curMaint, SafeMaintenanceIncrease(c));
        }

        // Initial never looser than maintenance (with maintenance moving slowly, a fast initial fall could cross it);
        // an Aave-model venue keeps asset weights a further basis point apart (HealthModelRules.AaveWeightGap).
        long gap = !market && Genesis.HealthModel == HealthModel.Aave ? HealthModelRules.AaveWeightGap : 0;
        long newInit = System.Math.Max(Toward(curInit, targetInit, stepInit), System.Math.Min(newMaint + gap, Precision.Ppm));
        if (newInit == curInit && newMaint == curMaint)
        {
            return;
        }

        if (market)
        {
            PerpMarket m = _markets[c.Market];
            m.Risk = m.Risk with { InitialMarginFraction = newInit, MaintenanceMarginFraction = newMaint };
            Report("market", c.Market, "initialMarginFraction", curInit, newInit, vol);
            Report("market", c.Market, "maintenanceMarginFraction", curMaint, newMaint, vol);
        }
        else
        {
            AssetPool p = _pools[c.Asset];
            p.Risk = p.Risk with { InitialAssetWeight = Precision.Ppm - newInit, MaintenanceAssetWeight = Precision.Ppm - newMaint };
            Report("asset", c.Asset, "initialAssetWeight", Precision.Ppm - curInit, Precision.Ppm - newInit, vol);
            Report("asset", c.Asset, "maintenanceAssetWeight", Precision.Ppm - curMaint, Precision.Ppm - newMaint, vol);
        }

        ParameterVersion++;
    }

    private void Report(string kind, int id, string field, long old, long now, long vol)
    {
        if (old != now)
        {
            _events.Add(new RiskParameterAdjusted(kind, id, field, old, now, vol));
        }
    }

    private static long Toward(long current, long target, long step) =>
        target > current ? System.Math.Min(target, current + step) : System.Math.Max(target, current - step);

    /// <summary>
    /// Largest maintenance increase (ppm) every currently healthy exposed account absorbs: raising a market's
    /// fraction by δ lowers an account's maintenance health by at most ⌈δ·notional⌉, lowering an asset's weight
    /// by δ by at most ⌈δ·value⌉; so δ ≤ (health − 1)·1e6 / exposure, floored, over all such accounts.
    /// Accounts already liquidatable are not protected (they are the keepers' business). O(accounts).
    /// </summary>
    internal long SafeMaintenanceIncrease(RiskControllerConfig c)
    {
        long best = long.MaxValue;
        AssetPool feedPool = _pools[c.Feed];
        for (int id = 0; id < Accounts.Count; id++)
        {
            if (IsProtocolAccount(id))
            {
                continue;
            }

            Int128 exposure;
            Int128 health;
            try
            {
                exposure = Exposure(c, id, feedPool);
                health = exposure <= 0 ? 0 : MaintenanceHealthOf(id);
            }
            catch (OverflowException)
            {
                // An account whose figures leave the integer range cannot be shown to absorb any increase.
                return 0;
            }

            if (health < 0 || exposure <= 0)
            {
                continue;
            }

            Int128 d = health < 1 ? 0 : FullMath.Div((health - 1) * Precision.Ppm, exposure, Rounding.Down);
            if (d < best)
            {
                best = (long)d;
                if (best == 0)
                {
                    break;
                }
            }
        }

        return best;
    }

    /// <summary>What a controller's parameter multiplies for one account: its notional in the market, or its collateral value in the asset (0 when none).</summary>
    private Int128 Exposure(RiskControllerConfig c, int id, AssetPool feedPool)
    {
        if (c.Market >= 0)
        {
            long size = Accounts.Sizes(id)[c.Market];
            return size == 0 ? 0 : feedPool.ValueOf(System.Math.Abs(size), Rounding.Up);
        }

        long s = Accounts.Scaled(id, c.Asset);
        return s <= 0 || !feedPool.Risk.Collateral ? 0 : feedPool.ValueOf(feedPool.ScaledToSupply(s), Rounding.Up);
    }
}
