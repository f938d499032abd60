using System.Text.Json;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>Reads the optional "oracles" and "riskControllers" sections of genesis (docs/genesis.md).</summary>
internal static class OracleGenesisReader
{
    private const long One = Precision.Ppm;

    /// <summary>Most publishers one feed may list (reports are kept per publisher slot).</summary>
    public const int MaxPublishers = 32;

    public static List<OracleFeedConfig> ReadOracles(JsonFieldReader r, JsonElement root, List<AssetConfig> assets)
    {
        var feeds = new List<OracleFeedConfig>();
        if (r.Get(root, "", "oracles", required: false) is not { } arr)
        {
            return feeds;
        }

        if (arr.ValueKind != JsonValueKind.Array)
        {
            r.Fail("oracles", "must be an array");
            return feeds;
        }

        int i = 0;
        foreach (JsonElement el in arr.EnumerateArray())
        {
            string path = $"oracles[{i++}]";
            int asset = AssetRef(r, el, path, "asset", assets);
            var publishers = new List<Address>();
            if (r.Get(el, path, "publishers") is { } pubs)
            {
                if (pubs.ValueKind != JsonValueKind.Array || pubs.GetArrayLength() is 0 or > MaxPublishers)
                {
                    r.Fail(path + ".publishers", $"must be an array of 1 to {MaxPublishers} addresses");
                }
                else
                {
                    int j = 0;
                    foreach (JsonElement p in pubs.EnumerateArray())
                    {
                        string pp = $"{path}.publishers[{j++}]";
                        if (p.ValueKind != JsonValueKind.String || !Address.TryParse(p.GetString(), out Address a))
                        {
                            r.Fail(pp, "must be a 0x-prefixed 20-byte hex address");
                        }
                        else if (publishers.Contains(a))
                        {
                            r.Fail(pp, "duplicate publisher");
                        }
                        else
                        {
                            publishers.Add(a);
                        }
                    }
                }
            }

            long quorum = r.Integer(el, path, "quorum", 1, MaxPublishers);
            if (publishers.Count > 0 && quorum > publishers.Count)
            {
                r.Fail(path + ".quorum", $"must not exceed the {publishers.Count} publishers");
            }

            // f defaults so that the quorum is exactly 2f + 1; a stated f needs 2f + 1 publishers to exist at all.
            long faults = r.Integer(el, path, "faultTolerance", 0, (MaxPublishers - 1) / 2, (quorum - 1) / 2, required: false);
            if (publishers.Count > 0 && (2 * faults) + 1 > publishers.Count)
            {
                r.Fail(path + ".faultTolerance", $"2 × faultTolerance + 1 must not exceed the {publishers.Count} publishers");
            }

            long maxMove = r.Decimal(el, path, "maxMove", 6, 1, One, One / 10, required: false);

            // By default the full per-update bound opens after a minute of quiet (rounded up so it is never 0).
            long perSecond = r.Decimal(el, path, "maxMovePerSecond", 6, 1, One, (maxMove + 59) / 60, required: false);

            string onMove = r.String(el, path, "onMaxMove", "clamp", required: false);
            if (onMove is not ("clamp" or "pause"))
            {
                r.Fail(path + ".onMaxMove", "must be \"clamp\" or \"pause\"");
            }

            long interval = r.Integer(el, path, "volatilityInterval", 60, 86_400, 3600, required: false);
            if (feeds.Exists(f => f.Asset == asset) && asset >= 0)
            {
                r.Fail(path + ".asset", "the asset already has a feed");
            }

            feeds.Add(new OracleFeedConfig
            {
                Asset = asset,
                Publishers = publishers,
                Quorum = (int)quorum,
                FaultTolerance = (int)faults,
                MaxAge = r.Integer(el, path, "maxAge", 1, 86_400),
                MaxConfidence = r.Decimal(el, path, "maxConfidence", 6, 0, One / 2, One / 50, required: false),
                MaxMove = maxMove,
                MaxMovePerSecond = perSecond,
                PauseOnMaxMove = onMove == "pause",
                TwapWindow = r.Integer(el, path, "twapWindow", 60, 7 * 86_400, 3600, required: false),
                StableGrowthPerHour = r.Decimal(el, path, "stableGrowthPerHour", 6, 1, 10 * One, One / 10, required: false),
                VolatilityInterval = interval,
                EwmaAlpha = r.Decimal(el, path, "ewmaAlpha", 6, 1, One, 60_000, required: false),
                InitialVolatility = r.Decimal(el, path, "initialVolatility", 6, 0, 20 * One, 800_000, required: false),
                ImpliedVolatilityMaxAge = r.Integer(el, path, "impliedVolatilityMaxAge", 1, 7 * 86_400, 3600, required: false),
            });
        }

        return feeds;
    }

    public static List<RiskControllerConfig> ReadControllers(
        JsonFieldReader r, JsonElement root, List<AssetConfig> assets, List<AssetRiskParams> risk,
        List<PerpMarketConfig> markets, List<PerpRiskParams> marketRisk, List<OracleFeedConfig> feeds)
    {
        var list = new List<RiskControllerConfig>();
        if (r.Get(root, "", "riskControllers", required: false) is not { } arr)
        {
            return list;
        }

        if (arr.ValueKind != JsonValueKind.Array)
        {
            r.Fail("riskControllers", "must be an array");
            return list;
        }

        int i = 0;
        foreach (JsonElement el in arr.EnumerateArray())
        {
            string path = $"riskControllers[{i++}]";
            bool isMarket = el.ValueKind == JsonValueKind.Object && el.TryGetProperty("market", out _);
            int asset = -1, market = -1, feed = -1;
            long baseInit = 0, baseMaint = 0;
            (long Min, long Max) init, maint;
            if (isMarket)
            {
                string sym = r.String(el, path, "market");
                market = markets.FindIndex(m => string.Equals(m.Symbol, sym, StringComparison.OrdinalIgnoreCase));
                if (market < 0 && sym.Length > 0)
                {
                    r.Fail(path + ".market", $"'{sym}' is not one of the perpMarkets");
                }

                init = Range(r, el, path, "initialMarginFraction", 1, One);
                maint = Range(r, el, path, "maintenanceMarginFraction", 1, One);
                if (market >= 0)
                {
                    feed = markets[market].BaseAsset;
                    baseInit = marketRisk[market].InitialMarginFraction;
                    baseMaint = marketRisk[market].MaintenanceMarginFraction;
                    if (maint.Min <= marketRisk[market].LiquidationPenalty)
                    {
                        r.Fail(path + ".maintenanceMarginFraction.min", "must exceed the market's liquidationPenalty");
                    }
                }
            }
            else
            {
                asset = AssetRef(r, el, path, "asset", assets);
                feed = asset;

                // Bounds are given as weights; the controller works on haircuts 1 − weight.
                (long Min, long Max) iw = Range(r, el, path, "initialAssetWeight", 0, One);
                (long Min, long Max) mw = Range(r, el, path, "maintenanceAssetWeight", 0, One);
                init = (One - iw.Max, One - iw.Min);
                maint = (One - mw.Max, One - mw.Min);
                if (asset >= 0)
                {
                    baseInit = One - risk[asset].InitialAssetWeight;
                    baseMaint = One - risk[asset].MaintenanceAssetWeight;
                    if ((One + risk[asset].LiquidationPenalty) * mw.Max > One * One)
                    {
                        r.Fail(path + ".maintenanceAssetWeight.max", "max × (1 + liquidationPenalty) must not exceed 1");
                    }
                }
            }

            if (init.Min < maint.Min || init.Max < maint.Max)
            {
                r.Fail(path, "initial bounds must be at least as strict as maintenance bounds");
            }

            if (feed >= 0 && (baseInit < init.Min || baseInit > init.Max || baseMaint < maint.Min || baseMaint > maint.Max))
            {
                r.Fail(path, "the genesis parameters must lie within the bounds");
            }

            if (feed >= 0 && !feeds.Exists(f => f.Asset == feed))
            {
                r.Fail(path, $"needs an oracle feed for {assets[feed].Symbol} (its volatility drives the controller)");
            }

            list.Add(new RiskControllerConfig
            {
                Asset = asset,
                Market = market,
                Feed = feed,
                ReferenceVolatility = r.Decimal(el, path, "referenceVolatility", 6, 1, 20 * One),
                InitialMin = init.Min,
                InitialMax = init.Max,
                MaintenanceMin = maint.Min,
                MaintenanceMax = maint.Max,
                MaxInitialChangePerHour = r.Decimal(el, path, "maxInitialChangePerHour", 6, 0, One),
                MaxMaintenanceChangePerHour = r.Decimal(el, path, "maxMaintenanceChangePerHour", 6, 0, One),
                Interval = r.Integer(el, path, "interval", 1, 86_400, 300, required: false),
            });
        }

        return list;
    }

    private static int AssetRef(JsonFieldReader r, JsonElement el, string path, string name, List<AssetConfig> assets)
    {
        string sym = r.String(el, path, name);
        int id = assets.FindIndex(a => string.Equals(a.Symbol, sym, StringComparison.OrdinalIgnoreCase));
        if (id < 0 && sym.Length > 0)
        {
            r.Fail(JsonFieldReader.Join(path, name), $"'{sym}' is not one of the assets");
        }

        return id;
    }

    private static (long Min, long Max) Range(JsonFieldReader r, JsonElement el, string path, string name, long lo, long hi)
    {
        string p = JsonFieldReader.Join(path, name);
        if (r.Get(el, path, name) is not { } o)
        {
            return (lo, hi);
        }

        if (o.ValueKind != JsonValueKind.Object)
        {
            r.Fail(p, "must be an object {\"min\": \"…\", \"max\": \"…\"}");
            return (lo, hi);
        }

        long min = r.Decimal(o, p, "min", 6, lo, hi, lo);
        long max = r.Decimal(o, p, "max", 6, lo, hi, hi);
        if (min > max)
        {
            r.Fail(p, "min must not exceed max");
        }

        return (min, max);
    }
}
