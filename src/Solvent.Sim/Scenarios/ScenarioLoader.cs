using System.Globalization;
using System.Text.Json;
using Solvent.Core.Config;
using Solvent.Sim.Prices;

namespace Solvent.Sim.Scenarios;

/// <summary>Reads a scenario file; every problem is a <see cref="ScenarioException"/> naming the JSON path.</summary>
public static class ScenarioLoader
{
    private const long MaxScenarioBytes = 16_000_000;

    /// <summary>Loads and validates a scenario; relative file names resolve against the scenario's folder.</summary>
    public static Scenario Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException("$", Directory.Exists(path) ? $"scenario {path} is a directory, not a file" : $"scenario file {path} does not exist");
        }

        string text;
        try
        {
            text = new FileInfo(path).Length <= MaxScenarioBytes
                ? File.ReadAllText(path)
                : throw new ScenarioException("$", $"scenario file {path} is larger than {MaxScenarioBytes / 1_000_000} MB");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException("$", $"scenario file {path} cannot be read: {e.Message}");
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <summary>Parses scenario text; <paramref name="baseDir"/> resolves genesis and price files.</summary>
    public static Scenario Parse(string json, string baseDir)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"$ (line {e.LineNumber + 1})", "not valid JSON: " + e.Message);
        }

        using (doc)
        {
            var root = new JsonNode(doc.RootElement, "$");
            int seed = (int)root.Num("seed", 1, 0, int.MaxValue);
            long step = root.Seconds("stepSeconds", 300, 1);
            long duration = root.Seconds("durationSeconds", 86_400, 1);
            if (duration < step)
            {
                throw new ScenarioException("$.durationSeconds", "must be at least one step");
            }

            if (duration / step > ScenarioLimits.MaxSteps)
            {
                throw new ScenarioException("$.durationSeconds", $"durationSeconds / stepSeconds = {duration / step:N0} steps exceeds the limit of {ScenarioLimits.MaxSteps:N0}");
            }

            long burnIn = root.Seconds("burnInSeconds", 0, 0);
            if (burnIn % step != 0)
            {
                throw new ScenarioException("$.burnInSeconds", "must be a whole number of steps (a multiple of stepSeconds)");
            }

            if ((duration + burnIn) / step > ScenarioLimits.MaxSteps)
            {
                throw new ScenarioException("$.burnInSeconds", $"(burnInSeconds + durationSeconds) / stepSeconds = {(duration + burnIn) / step:N0} steps exceeds the limit of {ScenarioLimits.MaxSteps:N0}");
            }

            var venues = new List<VenueSpec>();
            foreach (JsonNode v in root.Get("venues").Items())
            {
                venues.Add(ParseVenue(v, baseDir, seed + venues.Count));
            }

            if (venues.Count == 0)
            {
                throw new ScenarioException("$.venues", "must list at least one venue");
            }

            Genesis g0 = venues[0].Genesis;
            return new Scenario
            {
                Name = root.Has("name") ? root.Get("name").Str() : "unnamed",
                Seed = seed,
                Paths = (int)root.Num("paths", 1, 1, ScenarioLimits.MaxPaths),
                DurationSeconds = duration,
                StepSeconds = step,
                BurnInSeconds = burnIn,
                Venues = venues,
                Prices = ParsePrices(root.Get("prices"), g0, baseDir, duration, burnIn),
                Oracle = ParseOracle(root.Opt("oracle")),
                Pools = ParsePools(root.Opt("liquidity"), venues),
                Keepers = ParseKeepers(root.Opt("keepers")),
                Arbitrage = root.Opt("perpArbitrage") is { } arb
                    ? new ArbitrageSpec(arb.Num("capitalUsd", 0, 0, 1e13), arb.Num("maxLeverage", 3, 0, 20), arb.Num("band", 0.001, 0, 1))
                    : null,
                Behaviour = ParseBehaviour(root.Opt("behaviour")),
            };
        }
    }

    private static VenueSpec ParseVenue(JsonNode v, string baseDir, int seed)
    {
        JsonNode gnode = v.Get("genesis");
        string file = Path.Combine(baseDir, gnode.Str());
        Genesis g;
        try
        {
            g = GenesisLoader.Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GenesisException)
        {
            throw new ScenarioException(gnode.Path, $"genesis {gnode.Str()}: {e.Message}");
        }

        // Caps bound organic growth; a generated book is imported whole, and keepers must be able to deposit.
        g = g with
        {
            Risk = g.Risk.Select(r => r with { SupplyCap = 0, BorrowCap = 0 }).ToArray(),
            MarketRisk = g.MarketRisk.Select(r => r with { OpenInterestCap = 0 }).ToArray(),
        };
        JsonNode p = v.Get("population");
        var insurance = v.Has("insuranceUsd") ? UsdByAsset(v.Get("insuranceUsd"), s => g.FindAsset(s), "asset") : new Dictionary<int, double>();
        var marketInsurance = v.Has("marketInsuranceUsd") ? UsdByAsset(v.Get("marketInsuranceUsd"), s => g.FindMarket(s), "market") : new Dictionary<int, double>();
        string name = v.Has("name") ? v.Get("name").Str() : g.Name;
        if (p.Has("snapshot"))
        {
            return new VenueSpec(name, g, null, insurance, marketInsurance, SnapshotSource.Load(p, g, baseDir, seed));
        }

        var pop = new PopulationSpec(
            (int)p.Req("accounts", 1, ScenarioLimits.MaxAccounts),
            Weights(p.Get("collateral"), s => g.FindAsset(s), "asset"),
            p.Has("debt") ? Weights(p.Get("debt"), s => g.FindAsset(s), "asset") : [(g.QuoteAsset, 1)],
            p.Has("sizeUsd") ? p.Get("sizeUsd").Dist(1, 1e9) : new Distribution("lognormal", 20_000, 1),
            p.Has("ltv") ? p.Get("ltv").Dist(0, 1) : new Distribution("uniform", 0.3, 0.95),
            p.Num("perpShare", 0, 0, 1),
            p.Has("markets") ? Weights(p.Get("markets"), s => g.FindMarket(s), "market") : [],
            p.Has("leverage") ? p.Get("leverage").Dist(0.1, 100) : new Distribution("uniform", 1, 10),
            p.Num("longShare", 0.5, 0, 1),
            (int)p.Num("seed", seed, 0, int.MaxValue));
        if (p.Has("healthFactor"))
        {
            if (p.Has("ltv"))
            {
                throw new ScenarioException($"{p.Path}.ltv", "give either ltv or healthFactor, not both");
            }

            pop = pop with { HealthFactor = HealthFactors(p.Get("healthFactor"), pop.Collateral, g) };
        }

        if (pop.PerpShare > 0 && pop.Markets.Count == 0)
        {
            throw new ScenarioException($"{p.Path}.markets", "is required when perpShare > 0");
        }

        return new VenueSpec(name, g, pop, insurance, marketInsurance);
    }

    /// <summary>
    /// <c>healthFactor</c>: one distribution for every collateral asset, or an object of them by asset symbol
    /// (<c>"*"</c> for the rest); each collateral asset of the population must get one. Health factors lie in
    /// 1–100: a book is imported solvent, however close to the edge.
    /// </summary>
    private static Dictionary<int, Distribution> HealthFactors(JsonNode n, IReadOnlyList<(int Asset, double Weight)> collateral, Genesis g)
    {
        var d = new Dictionary<int, Distribution>();
        if (n.Value.ValueKind != JsonValueKind.Object || n.Has("dist"))
        {
            Distribution all = n.Dist(1, 100);
            foreach ((int a, _) in collateral)
            {
                d[a] = all;
            }

            return d;
        }

        Distribution? rest = null;
        foreach ((string name, JsonNode node) in n.Properties())
        {
            if (name == "*")
            {
                rest = node.Dist(1, 100);
                continue;
            }

            int id = g.FindAsset(name);
            if (id < 0)
            {
                throw new ScenarioException(node.Path, $"unknown asset {name}");
            }

            d[id] = node.Dist(1, 100);
        }

        foreach ((int a, _) in collateral)
        {
            if (!d.ContainsKey(a))
            {
                d[a] = rest ?? throw new ScenarioException(n.Path, $"has no distribution for collateral {g.Assets[a].Symbol} (name it or give \"*\")");
            }
        }

        return d;
    }

    private static List<(int, double)> Weights(JsonNode n, Func<string, int> find, string what)
    {
        var list = new List<(int, double)>();
        foreach ((string name, JsonNode w) in n.Properties())
        {
            int id = find(name);
            if (id < 0)
            {
                throw new ScenarioException(w.Path, $"unknown {what} {name} in the genesis");
            }

            double x = w.Num();
            if (!(x >= 0) || double.IsInfinity(x))
            {
                throw new ScenarioException(w.Path, "weight must be ≥ 0");
            }

            list.Add((id, x));
        }

        return list.Sum(x => x.Item2) > 0 ? list : throw new ScenarioException(n.Path, "weights must not all be zero");
    }

    private static Dictionary<int, double> UsdByAsset(JsonNode n, Func<string, int> find, string what)
    {
        var d = new Dictionary<int, double>();
        foreach ((int id, double w) in Weights(n, find, what))
        {
            d[id] = w;
        }

        return d;
    }

    private static PriceSpec ParsePrices(JsonNode n, Genesis g, string baseDir, long duration, long burnIn)
    {
        string model = n.Get("model").Str();
        if (model is not ("historical" or "gbm" or "garch" or "ramp" or "flat"))
        {
            throw new ScenarioException($"{n.Path}.model", "must be historical, gbm, garch, ramp or flat");
        }

        var assets = new List<AssetPriceSpec>();
        if (n.Has("assets"))
        {
            foreach (JsonNode a in n.Get("assets").Items())
            {
                JsonNode sym = a.Get("symbol");
                int id = g.FindAsset(sym.Str());
                if (id < 0)
                {
                    throw new ScenarioException(sym.Path, $"unknown asset {sym.Str()} in the first venue's genesis");
                }

                string? file = null;
                CandleSeries? candles = null;
                if (model == "historical")
                {
                    JsonNode f = a.Get("file");
                    file = Path.Combine(baseDir, f.Str());
                    if (!File.Exists(file))
                    {
                        throw new ScenarioException(f.Path, Directory.Exists(file) ? $"price file {f.Str()} is a directory" : $"price file {f.Str()} does not exist");
                    }

                    candles = CandleSeries.Load(file);
                }

                double sigma = a.Num("sigma", 0.8, 0, 20);
                assets.Add(new AssetPriceSpec(
                    id, sym.Str(), file, a.Num("mu", 0, -10, 10), sigma,
                    a.Num("jumpIntensity", 0, 0, 10_000), a.Num("jumpMean", 0, -1, 1), a.Num("jumpStd", 0, 0, 2),
                    a.Num("garchOmega", sigma * sigma * 0.05, 0, 100), a.Num("garchAlpha", 0.05, 0, 1), a.Num("garchBeta", 0.9, 0, 1))
                {
                    Candles = candles,
                    JumpMinimum = a.Num("jumpMinimum", 0, 0, 2),
                    JumpUpProbability = a.Num("jumpUpProbability", 0.5, 0, 1),
                    JumpUpMean = a.Num("jumpUpMean", 0, 0, 2),
                    JumpDownMean = a.Num("jumpDownMean", 0, 0, 2),
                });
                AssetPriceSpec last = assets[^1];
                if (last.GarchAlpha + last.GarchBeta >= 1)
                {
                    throw new ScenarioException($"{a.Path}.garchBeta", "garchAlpha + garchBeta must be below 1 (stationary variance)");
                }
            }
        }

        if (model is "historical" or "gbm" or "garch" && assets.Count == 0)
        {
            throw new ScenarioException($"{n.Path}.assets", $"the {model} model needs at least one asset");
        }

        double[,]? corr = null;
        if (n.Has("correlation"))
        {
            var rows = n.Get("correlation").Items().ToList();
            corr = new double[assets.Count, assets.Count];
            if (rows.Count != assets.Count)
            {
                throw new ScenarioException($"{n.Path}.correlation", $"must be {assets.Count}×{assets.Count} (one row per asset)");
            }

            for (int i = 0; i < rows.Count; i++)
            {
                var cols = rows[i].Items().ToList();
                if (cols.Count != assets.Count)
                {
                    throw new ScenarioException(rows[i].Path, $"must have {assets.Count} entries");
                }

                for (int j = 0; j < cols.Count; j++)
                {
                    corr[i, j] = cols[j].Num();
                }
            }

            if (Cholesky.Factor(corr) is null)
            {
                throw new ScenarioException($"{n.Path}.correlation", "must be symmetric positive definite with a unit diagonal");
            }
        }

        long start = 0;
        if (n.Has("start"))
        {
            JsonNode s = n.Get("start");
            start = DateTimeOffset.TryParse(s.Str(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
                ? t.ToUnixTimeSeconds()
                : throw new ScenarioException(s.Path, "must be an ISO-8601 time such as 2020-03-12T00:00:00Z");
            if (start <= 0)
            {
                throw new ScenarioException(s.Path, "must be after 1970-01-01T00:00:00Z");
            }
        }

        if (burnIn > 0 && model == "historical" && start == 0)
        {
            throw new ScenarioException("$.burnInSeconds", "a historical replay with a burn-in needs prices.start: the burn-in replays the history before it");
        }

        foreach (AssetPriceSpec a in assets)
        {
            if (a.Candles is { } c)
            {
                if (burnIn > 0 && start - burnIn < c.First)
                {
                    throw new ScenarioException("$.burnInSeconds", $"the burn-in would start at {Iso(start - burnIn)}, before the first candle of {a.File}:2 ({Iso(c.First)})");
                }

                CheckSpan(n, a, c, start - burnIn, duration + burnIn);
            }
        }

        return new PriceSpec
        {
            Model = model,
            Assets = assets,
            Correlation = corr,
            Start = start,
            Shock = n.Num("shock", 0, 0, 0.99),
            ShockAtSeconds = n.Seconds("shockAtSeconds", 0),
            VolMultiplier = n.Num("volMultiplier", 1, 0, 100),
            RampMove = n.Num("rampMove", 0, -0.99, 10),
            CalibrationSeconds = n.Seconds("calibrationSeconds", 3600, 1),
            CommonJumpIntensity = n.Num("commonJumpIntensity", 0, 0, 10_000),
            CommonJumpUpProbability = n.Num("commonJumpUpProbability", 0.5, 0, 1),
            JumpExcitation = n.Num("jumpExcitation", 0, 0, 0.95),
            JumpExcitationHalfLifeSeconds = n.Seconds("jumpExcitationHalfLifeSeconds", 10_800, 1),
        };
    }

    /// <summary>A replay must lie inside the file: outside it the clamped series would replay a flat price as if it were history.</summary>
    private static void CheckSpan(JsonNode prices, AssetPriceSpec a, CandleSeries c, long start, long duration)
    {
        long from = start > 0 ? start : c.First;
        string where = start > 0 ? $"{prices.Path}.start" : $"{prices.Path}.assets";
        if (from < c.First)
        {
            throw new ScenarioException(where, $"{Iso(from)} is before the first candle of {a.File}:2 ({Iso(c.First)})");
        }

        if (from > c.End - duration)
        {
            throw new ScenarioException(where, $"{Iso(from)} + durationSeconds {duration} ends at {Iso(from + duration)}, after the last candle of {a.File}:{c.Count + 1} ends ({Iso(c.End)})");
        }
    }

    private static string Iso(long unix) => unix is >= -62_135_596_800 and <= 253_402_300_799
        ? DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
        : unix.ToString(CultureInfo.InvariantCulture);

    private static OracleSpec ParseOracle(JsonNode? n) => n is not { } o
        ? new OracleSpec(60, 0, 0.005, 3600)
        : new OracleSpec(o.Seconds("updateIntervalSeconds", 60, 1), o.Seconds("lagSeconds", 0), o.Num("deviationThreshold", 0.005, 0, 1), o.Seconds("heartbeatSeconds", 3600, 1));

    private static Dictionary<string, PoolSpec> ParsePools(JsonNode? n, List<VenueSpec> venues)
    {
        var pools = new Dictionary<string, PoolSpec>(StringComparer.OrdinalIgnoreCase);
        if (n is not { } l)
        {
            return pools;
        }

        double halfLife = l.Num("recoveryHalfLifeSeconds", 900, 0, 1e9);
        if (l.Has("pools"))
        {
            foreach ((string sym, JsonNode p) in l.Get("pools").Properties())
            {
                if (venues.All(v => v.Genesis.FindAsset(sym) < 0))
                {
                    throw new ScenarioException(p.Path, $"no venue lists asset {sym}");
                }

                pools[sym] = new PoolSpec(p.Req("depthUsd", 0, 1e15), p.Num("recoveryHalfLifeSeconds", halfLife, 0, 1e9));
            }
        }

        return pools;
    }

    private static KeeperSpec ParseKeepers(JsonNode? n) => n is not { } k
        ? new KeeperSpec(3, Distribution.Fixed(12), 5_000_000, 10, 5)
        : new KeeperSpec(
            (int)k.Num("count", 3, 0, 1000),
            k.Has("latencySeconds") ? k.Get("latencySeconds").Dist(0, 1e7) : Distribution.Fixed(12),
            k.Num("capitalUsd", 5_000_000, 0, 1e13),
            k.Num("minProfitUsd", 10, -1e9, 1e9),
            k.Num("gasUsd", 5, 0, 1e6))
        {
            Outages = k.Has("outages") ? [.. k.Get("outages").Items().Select(Window)] : [],
            GasSpikes = k.Has("gasSpikes") ? [.. k.Get("gasSpikes").Items().Select(w => { (long f, long t) = Window(w); return (f, t, w.Req("gasUsd", 0, 1e6)); })] : [],
        };

    /// <summary>A time window {fromSeconds, toSeconds} from the start of the run; to must not be before from.</summary>
    private static (long From, long To) Window(JsonNode w)
    {
        long from = w.Seconds("fromSeconds", 0), to = w.Seconds("toSeconds", 0);
        return to >= from ? (from, to) : throw new ScenarioException($"{w.Path}.toSeconds", "must not be before fromSeconds");
    }

    private static BehaviourSpec ParseBehaviour(JsonNode? n) => n is not { } b
        ? new BehaviourSpec(0, 1.1, 1.3, 0.5, 3600)
        : new BehaviourSpec(b.Num("share", 0, 0, 1), b.Num("healthFactor", 1.1, 1, 10), b.Num("targetHealthFactor", 1.3, 1, 10), b.Num("topUpShare", 0.5, 0, 1), b.Seconds("checkIntervalSeconds", 3600, 1));
}
