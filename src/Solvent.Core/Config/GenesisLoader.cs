using System.Text.Json;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>
/// Parses and validates a genesis JSON document. Every problem is reported with its field path;
/// fractions and amounts are decimal strings, never JSON floats. See docs/genesis.md.
/// </summary>
public static class GenesisLoader
{
    private const long One = Precision.Ppm;

    /// <summary>Parses genesis JSON text; throws <see cref="GenesisException"/> listing every problem.</summary>
    public static Genesis Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new GenesisException([$"(document): not valid JSON: {e.Message}"]);
        }

        using (doc)
        {
            return FromElement(doc.RootElement);
        }
    }

    /// <summary>Validates a genesis given as a JSON element (e.g. inline in an eval file).</summary>
    public static Genesis FromElement(JsonElement root)
    {
        var r = new JsonFieldReader();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new GenesisException(["(document): must be a JSON object"]);
        }

        string name = r.String(root, "", "name", "unnamed", required: false);
        long chainId = r.Integer(root, "", "chainId", 1, long.MaxValue);
        long genesisTime = r.Integer(root, "", "genesisTime", 0, 1L << 40);
        var governance = r.Address(root, "", "governance");
        if (governance == Address.Zero)
        {
            r.Fail("governance", "must not be the zero address (the engine refuses it as a signer)");
        }
        string quote = r.String(root, "", "quoteAsset");

        var assets = new List<AssetConfig>();
        var risk = new List<AssetRiskParams>();
        JsonElement? arr = r.Get(root, "", "assets");
        if (arr is { ValueKind: JsonValueKind.Array } a)
        {
            int i = 0;
            foreach (JsonElement el in a.EnumerateArray())
            {
                string path = $"assets[{i}]";
                (AssetConfig cfg, AssetRiskParams p) = ReadAsset(r, el, path, i);
                if (assets.Exists(x => string.Equals(x.Symbol, cfg.Symbol, StringComparison.OrdinalIgnoreCase)))
                {
                    r.Fail(path + ".symbol", $"duplicate symbol '{cfg.Symbol}'");
                }

                assets.Add(cfg);
                risk.Add(p);
                i++;
            }

            if (i == 0)
            {
                r.Fail("assets", "must list at least one asset");
            }
            else if (i > 200)
            {
                r.Fail("assets", "at most 200 assets");
            }
        }
        else if (arr is not null)
        {
            r.Fail("assets", "must be an array");
        }

        int quoteId = assets.FindIndex(x => string.Equals(x.Symbol, quote, StringComparison.OrdinalIgnoreCase));
        if (quote.Length > 0 && quoteId < 0)
        {
            r.Fail("quoteAsset", $"'{quote}' is not one of the assets");
        }

        var liq = new LiquidationConfig(One / 2, 950_000_000_000_000_000L, 1_050_000_000_000_000_000L, 0);
        JsonElement? le = r.Get(root, "", "liquidation");
        if (le is { } l)
        {
            liq = new LiquidationConfig(
                r.Decimal(l, "liquidation", "closeFactor", 6, 1, One, One / 2),
                r.Decimal(l, "liquidation", "fullCloseHealthFactor", 18, 0, Precision.Wad, 950_000_000_000_000_000L),
                r.Decimal(l, "liquidation", "healthTarget", 18, Precision.Wad, 9 * Precision.Wad, 1_050_000_000_000_000_000L),
                r.Decimal(l, "liquidation", "dustThreshold", Precision.ValueDecimals, 0, long.MaxValue / 4));
        }

        // The write-off fee is a keeper's incentive, not a prize: bounded to 100 units of the settlement asset.
        int quoteDecimals = quoteId >= 0 ? assets[quoteId].QuantumDecimals : 0;
        long unit = (long)UInt128.Min(Precision.Pow10(quoteDecimals), long.MaxValue / 100);
        long writeOffFee = le is { } lw ? r.Decimal(lw, "liquidation", "writeOffFee", quoteDecimals, 0, 100 * unit, unit, required: false) : unit;

        HealthModel healthModel = HealthModel.Exact;
        switch (r.String(root, "", "healthModel", "exact", required: false))
        {
            case "exact":
                break;
            case "aave":
                healthModel = HealthModel.Aave;
                break;
            case string other:
                r.Fail("healthModel", $"must be \"exact\" or \"aave\", not \"{other}\"");
                break;
        }

        for (int ai = 0; ai < risk.Count; ai++)
        {
            if (HealthModelRules.WeightGapProblem(healthModel, risk[ai]) is { } gap)
            {
                r.Fail($"assets[{ai}].initialAssetWeight", gap);
            }
        }

        var markets = new List<PerpMarketConfig>();
        var marketRisk = new List<PerpRiskParams>();
        PerpConfig perps = PerpConfig.Default;
        if (r.Get(root, "", "perps", required: false) is { ValueKind: not JsonValueKind.Object })
        {
            r.Fail("perps", "must be an object");
        }
        else if (r.Get(root, "", "perps", required: false) is { } pc)
        {
            perps = new PerpConfig(
                r.Integer(pc, "perps", "fundingInterval", 60, 86_400, 3600, required: false),
                r.Decimal(pc, "perps", "liquidationBuffer", 6, 0, One, PerpConfig.Default.LiquidationBuffer, required: false),
                r.Integer(pc, "perps", "backstopDelayBlocks", 0, 1_000_000, PerpConfig.Default.BackstopDelayBlocks, required: false),
                r.Decimal(pc, "perps", "dustNotional", Precision.ValueDecimals, 0, long.MaxValue / 4, PerpConfig.Default.DustNotional, required: false));
        }

        if (r.Get(root, "", "perpMarkets", required: false) is { } pm)
        {
            if (pm.ValueKind != JsonValueKind.Array)
            {
                r.Fail("perpMarkets", "must be an array");
            }
            else
            {
                int i = 0;
                foreach (JsonElement el in pm.EnumerateArray())
                {
                    string path = $"perpMarkets[{i}]";
                    (PerpMarketConfig cfg, PerpRiskParams mrisk) = ReadMarket(r, el, path, i, assets);
                    if (markets.Exists(x => string.Equals(x.Symbol, cfg.Symbol, StringComparison.OrdinalIgnoreCase)))
                    {
                        r.Fail(path + ".symbol", $"duplicate symbol '{cfg.Symbol}'");
                    }

                    markets.Add(cfg);
                    marketRisk.Add(mrisk);
                    i++;
                }

                if (i > 0 && quoteId >= 0 && assets[quoteId].QuantumDecimals != Precision.ValueDecimals)
                {
                    r.Fail("quoteAsset", $"perpetuals settle in the quote asset, whose quantumDecimals must be {Precision.ValueDecimals}");
                }
            }
        }

        List<OracleFeedConfig> oracles = OracleGenesisReader.ReadOracles(r, root, assets);
        List<RiskControllerConfig> controllers = OracleGenesisReader.ReadControllers(r, root, assets, risk, markets, marketRisk, oracles);
        SettlementConfig? settlement = SettlementGenesisReader.Read(r, root, assets);
        CheckFeePoolSeeds(r, markets, settlement);
        if (r.Errors.Count > 0)
        {
            throw new GenesisException(r.Errors);
        }

        return new Genesis
        {
            Oracles = oracles,
            RiskControllers = controllers,
            Markets = markets,
            MarketRisk = marketRisk,
            Perps = perps,
            Name = name,
            ChainId = chainId,
            GenesisTime = genesisTime,
            Governance = governance,
            QuoteAsset = quoteId,
            Assets = assets,
            Risk = risk,
            Liquidation = liq,
            WriteOffFee = writeOffFee,
            HealthModel = healthModel,
            Settlement = settlement,
        };
    }

    private static (PerpMarketConfig, PerpRiskParams) ReadMarket(JsonFieldReader r, JsonElement el, string path, int id, List<AssetConfig> assets)
    {
        string symbol = r.String(el, path, "symbol", $"#{id}");
        string baseSymbol = r.String(el, path, "baseAsset");
        int baseId = assets.FindIndex(x => string.Equals(x.Symbol, baseSymbol, StringComparison.OrdinalIgnoreCase));
        int qd = 9;
        if (baseSymbol.Length > 0 && baseId < 0)
        {
            r.Fail(path + ".baseAsset", $"'{baseSymbol}' is not one of the assets");
        }
        else if (baseId >= 0)
        {
            qd = assets[baseId].QuantumDecimals;
        }

        long tick = r.Decimal(el, path, "tickSize", Precision.PriceDecimals, 1, long.MaxValue / 4, 1);
        long step = r.Decimal(el, path, "stepSize", qd, 1, long.MaxValue / 4, 1);
        long depth = r.Decimal(el, path, "ammBaseReserve", qd, 1, long.MaxValue / 4, 1);
        long feePool = ReadFeePoolSeed(r, el, path, symbol);
        var risk = new PerpRiskParams
        {
            InitialMarginFraction = r.Decimal(el, path, "initialMarginFraction", 6, 1, One),
            MaintenanceMarginFraction = r.Decimal(el, path, "maintenanceMarginFraction", 6, 1, One),
            OpenInterestLower = r.Decimal(el, path, "openInterestLower", Precision.ValueDecimals, 0, long.MaxValue / 4),
            OpenInterestUpper = r.Decimal(el, path, "openInterestUpper", Precision.ValueDecimals, 1, long.MaxValue / 4),
            ImfFactor = r.Decimal(el, path, "imfFactor", 6, 0, One, 0, required: false),
            OpenInterestCap = r.Decimal(el, path, "openInterestCap", qd, 0, long.MaxValue / 4, 0, required: false),
            MaxFundingRate = r.Decimal(el, path, "maxFundingRate", 9, 0, 1_000_000_000),
            InterestRate = r.Decimal(el, path, "interestRate", 9, -1_000_000_000, 1_000_000_000, 12_500, required: false),
            LiquidationPenalty = r.Decimal(el, path, "liquidationPenalty", 6, 0, One),
            ProtocolShare = r.Decimal(el, path, "protocolShare", 6, 0, One),
            TakerFee = r.Decimal(el, path, "takerFee", 6, 0, One),
            PnlInitialWeight = r.Decimal(el, path, "pnlInitialWeight", 6, 0, One, One, required: false),
            PnlMaintenanceWeight = r.Decimal(el, path, "pnlMaintenanceWeight", 6, 0, One, One, required: false),
            MinOrderSize = r.Decimal(el, path, "minOrderSize", qd, 1, long.MaxValue / 4, step, required: false),
            FillPriceBand = r.Decimal(el, path, "fillPriceBand", 6, 1, PerpRiskParams.MaxFillPriceBand, PerpRiskParams.DefaultFillPriceBand, required: false),
        };
        if (risk.MinOrderSize % step != 0)
        {
            r.Fail(path + ".minOrderSize", "must be a multiple of stepSize");
        }

        if (r.Errors.Count == 0 && risk.Validate() is { } problem)
        {
            r.Fail(path + "." + problem.Field, problem.Message);
        }

        // A maker rebate is paid out of the taker fee of the same fill, so it may not exceed it.
        long makerFee = r.Decimal(el, path, "makerFee", 6, -One, One, 0, required: false);
        if (System.Math.Abs(makerFee) > risk.TakerFee)
        {
            r.Fail(path + ".makerFee", "must lie between −takerFee and takerFee");
        }

        int maxOpen = (int)r.Integer(el, path, "maxOpenOrders", 1, PerpMarketConfig.MaxOpenOrdersBound, PerpMarketConfig.DefaultMaxOpenOrders, required: false);
        return (new PerpMarketConfig(id, symbol, System.Math.Max(baseId, 0), tick, step, depth) { FeePoolSeed = feePool, MakerFee = makerFee, MaxOpenOrders = maxOpen }, risk);
    }

    /// <summary>
    /// Genesis fee-pool seeds are cash the quote asset's pool holds from genesis. A venue with custody chains
    /// takes tokens only through vault deposits, so a seed there would have nothing in a vault behind it; and
    /// the seeds together must leave the quote asset's cash far from the 64-bit bound.
    /// </summary>
    private static void CheckFeePoolSeeds(JsonFieldReader r, List<PerpMarketConfig> markets, SettlementConfig? settlement)
    {
        Int128 total = 0;
        for (int i = 0; i < markets.Count; i++)
        {
            if (markets[i].FeePoolSeed == 0)
            {
                continue;
            }

            total += markets[i].FeePoolSeed;
            if (settlement is not null)
            {
                r.Fail($"perpMarkets[{i}].feePool", $"{markets[i].Symbol}: must be 0 on a venue with a settlement block (tokens enter only through vault deposits)");
            }
        }

        if (total > long.MaxValue / 4)
        {
            r.Fail("perpMarkets", $"the feePool seeds add up to more than {DecimalString.Format(long.MaxValue / 4, Precision.ValueDecimals)} quote-asset units");
        }
    }

    /// <summary>
    /// The optional <c>feePool</c> seed in quote quantums (perpetuals require a 6-place quote asset, so it is
    /// read at 6 places); errors name the market, since the seed is capital the venue commits to it.
    /// </summary>
    private static long ReadFeePoolSeed(JsonFieldReader r, JsonElement el, string path, string symbol)
    {
        if (r.Get(el, path, "feePool", required: false) is not { } v)
        {
            return 0;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            r.Fail(path + ".feePool", $"{symbol}: must be a decimal string such as \"250000\" (JSON numbers lose precision)");
            return 0;
        }

        if (!DecimalString.TryParseLong(v.GetString(), Precision.ValueDecimals, out long n, out string err))
        {
            r.Fail(path + ".feePool", $"{symbol}: {err}");
            return 0;
        }

        if (n < 0 || n > PerpMarketConfig.MaxFeePoolSeed)
        {
            r.Fail(path + ".feePool", $"{symbol}: must be between 0 and {DecimalString.Format(PerpMarketConfig.MaxFeePoolSeed, Precision.ValueDecimals)} (quote-asset units), got {v.GetString()}");
            return 0;
        }

        return n;
    }

    private static (AssetConfig, AssetRiskParams) ReadAsset(JsonFieldReader r, JsonElement el, string path, int id)
    {
        string symbol = r.String(el, path, "symbol", $"#{id}");
        int decimals = (int)r.Integer(el, path, "decimals", 0, 30, 18);
        int qd = (int)r.Integer(el, path, "quantumDecimals", 0, 12, System.Math.Min(decimals, 9), required: false);
        if (qd > decimals)
        {
            r.Fail(path + ".quantumDecimals", $"must not exceed decimals ({decimals})");
        }

        string feed = r.String(el, path, "oracleFeed", symbol + "/USD", required: false);
        long price = r.Decimal(el, path, "initialPrice", Precision.PriceDecimals, 1, long.MaxValue / 1000, 1);
        long iaw = r.Decimal(el, path, "initialAssetWeight", 6, 0, One);
        long maw = r.Decimal(el, path, "maintenanceAssetWeight", 6, 0, One);
        long ilw = r.Decimal(el, path, "initialLiabilityWeight", 6, One, 10 * One, One);
        long mlw = r.Decimal(el, path, "maintenanceLiabilityWeight", 6, One, 10 * One, One);
        long pen = r.Decimal(el, path, "liquidationPenalty", 6, 0, One / 2);
        long share = r.Decimal(el, path, "protocolShare", 6, 0, One);
        long supplyCap = r.Decimal(el, path, "supplyCap", qd, 0, long.MaxValue, 0, required: false);
        long borrowCap = r.Decimal(el, path, "borrowCap", qd, 0, long.MaxValue, 0, required: false);
        long minBorrow = r.Decimal(el, path, "minBorrow", qd, 0, long.MaxValue, 0, required: false);
        bool borrowable = r.Bool(el, path, "borrowable");
        bool collateral = r.Bool(el, path, "collateral");

        IRateModel model = new KinkedRateModel(0, 0, 0, Precision.Ray / 2);
        long reserveFactor = 0;
        JsonElement? rm = r.Get(el, path, "rateModel", required: borrowable);
        if (rm is { } m)
        {
            string mp = path + ".rateModel";
            string type = r.String(m, mp, "type", "kinked");
            if (type != "kinked")
            {
                r.Fail(mp + ".type", $"unknown rate model '{type}' (supported: kinked)");
            }

            UInt128 maxRate = Precision.Ray * 100;
            UInt128 opt = r.Ray(m, mp, "optimalUtilization", Precision.Ray);
            if (opt == 0 || opt >= Precision.Ray)
            {
                r.Fail(mp + ".optimalUtilization", "must be strictly between 0 and 1");
                opt = Precision.Ray / 2;
            }

            model = new KinkedRateModel(r.Ray(m, mp, "baseRate", maxRate), r.Ray(m, mp, "slope1", maxRate), r.Ray(m, mp, "slope2", maxRate), opt);
            reserveFactor = r.Decimal(m, mp, "reserveFactor", 6, 0, One - 1);
        }

        var p = new AssetRiskParams
        {
            InitialAssetWeight = iaw,
            MaintenanceAssetWeight = maw,
            InitialLiabilityWeight = ilw,
            MaintenanceLiabilityWeight = mlw,
            LiquidationPenalty = pen,
            ProtocolShare = share,
            SupplyCap = supplyCap,
            BorrowCap = borrowCap,
            Borrowable = borrowable,
            Collateral = collateral,
            ReserveFactor = reserveFactor,
            RateModel = model,
            MinBorrow = minBorrow,
        };
        if (r.Errors.Count == 0 && p.Validate() is { } problem)
        {
            r.Fail(path + "." + problem.Field, problem.Message);
        }

        return (new AssetConfig(id, symbol, decimals, qd, feed, price), p);
    }
}
