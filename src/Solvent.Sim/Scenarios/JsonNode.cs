using System.Globalization;
using System.Text.Json;

namespace Solvent.Sim.Scenarios;

/// <summary>A JSON value with its path, so every validation error names the field it is about.</summary>
internal readonly record struct JsonNode(JsonElement Value, string Path)
{
    public bool Has(string name) => Value.ValueKind == JsonValueKind.Object && Value.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    public JsonNode Get(string name)
    {
        if (Value.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException(Path, "must be an object");
        }

        return Value.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null
            ? new JsonNode(v, $"{Path}.{name}")
            : throw new ScenarioException($"{Path}.{name}", "is required");
    }

    public JsonNode? Opt(string name) => Has(name) ? Get(name) : null;

    public string Str() => Value.ValueKind == JsonValueKind.String ? Value.GetString()! : throw new ScenarioException(Path, "must be a string");

    public double Num()
    {
        if (Value.ValueKind == JsonValueKind.Number)
        {
            return Value.GetDouble();
        }

        if (Value.ValueKind == JsonValueKind.String && double.TryParse(Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }

        throw new ScenarioException(Path, "must be a number");
    }

    public double Num(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!Has(name))
        {
            return fallback;
        }

        JsonNode n = Get(name);
        double v = n.Num();
        return v >= min && v <= max && double.IsFinite(v) ? v : throw new ScenarioException(n.Path, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
    }

    public double Req(string name, double min = double.MinValue, double max = double.MaxValue)
    {
        _ = Get(name);
        return Num(name, 0, min, max);
    }

    public long Seconds(string name, long fallback, long min = 0)
    {
        double v = Num(name, fallback, min, 10L * 365 * 86_400);
        return v == Math.Floor(v) ? (long)v : throw new ScenarioException($"{Path}.{name}", "must be a whole number of seconds");
    }

    public IEnumerable<JsonNode> Items()
    {
        if (Value.ValueKind != JsonValueKind.Array)
        {
            throw new ScenarioException(Path, "must be an array");
        }

        int i = 0;
        foreach (JsonElement e in Value.EnumerateArray())
        {
            yield return new JsonNode(e, $"{Path}[{i++}]");
        }
    }

    public IEnumerable<(string Name, JsonNode Node)> Properties()
    {
        if (Value.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException(Path, "must be an object");
        }

        foreach (JsonProperty p in Value.EnumerateObject())
        {
            yield return (p.Name, new JsonNode(p.Value, $"{Path}.{p.Name}"));
        }
    }

    /// <summary>A distribution: a plain number (fixed) or <c>{"dist":"uniform","min","max"}</c> / <c>{"dist":"lognormal","median","sigma"}</c> / <c>{"dist":"piecewise","buckets":[…]}</c>.</summary>
    public Distribution Dist(double min, double max)
    {
        if (Value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            double v = Num();
            return v >= min && v <= max ? Distribution.Fixed(v) : throw new ScenarioException(Path, $"must be between {min} and {max}");
        }

        string kind = Get("dist").Str();
        switch (kind)
        {
            case "fixed":
                return Distribution.Fixed(Req("value", min, max));
            case "uniform":
                double a = Req("min", min, max), b = Req("max", min, max);
                return b >= a ? new Distribution("uniform", a, b) : throw new ScenarioException($"{Path}.max", "must not be below min");
            case "lognormal":
                return new Distribution("lognormal", Req("median", Math.Max(min, 1e-12), max), Req("sigma", 0, 5));
            case "piecewise":
                return Piecewise(min, max);
            default:
                throw new ScenarioException($"{Path}.dist", "must be fixed, uniform, lognormal or piecewise");
        }
    }

    /// <summary>
    /// <c>{"dist":"piecewise","buckets":[{"min","max","share"}, …]}</c>: 1–64 buckets in ascending, non-overlapping
    /// order, each min below its max, shares ≥ 0 adding up to 1 (± 0.02, published shares are rounded; they are
    /// normalised).
    /// </summary>
    private Distribution Piecewise(double min, double max)
    {
        var buckets = new List<(double Min, double Max, double Share)>();
        double previous = min;
        foreach (JsonNode b in Get("buckets").Items())
        {
            double lo = b.Req("min", min, max), hi = b.Req("max", min, max), share = b.Req("share", 0, 1);
            if (hi <= lo)
            {
                throw new ScenarioException($"{b.Path}.max", "must be above min");
            }

            if (lo < previous)
            {
                throw new ScenarioException($"{b.Path}.min", "buckets must be in ascending order and must not overlap");
            }

            if (buckets.Count == 64)
            {
                throw new ScenarioException($"{Path}.buckets", "at most 64 buckets");
            }

            buckets.Add((lo, hi, share));
            previous = hi;
        }

        double total = buckets.Sum(b => b.Share);
        if (buckets.Count == 0 || Math.Abs(total - 1) > 0.02)
        {
            throw new ScenarioException($"{Path}.buckets", string.Create(CultureInfo.InvariantCulture, $"shares must add up to 1 (they add up to {total:0.####})"));
        }

        return Distribution.Piecewise(buckets);
    }
}
