using System.Text.Json;
using Solvent.Core.Math;
using Solvent.Core.State;

namespace Solvent.Core.Config;

/// <summary>
/// Reads typed fields out of a JSON object, collecting "path: problem" errors instead of throwing,
/// so a config file reports every mistake at once. Numbers with fractions must be strings.
/// </summary>
public sealed class JsonFieldReader
{
    private readonly List<string> _errors = [];

    /// <summary>Every problem found so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Records a problem at a path.</summary>
    public void Fail(string path, string message) => _errors.Add($"{path}: {message}");

    /// <summary>The property, or an error if it is missing (when required).</summary>
    public JsonElement? Get(JsonElement obj, string path, string name, bool required = true)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null)
        {
            return v;
        }

        if (required)
        {
            Fail(Join(path, name), "is required");
        }

        return null;
    }

    /// <summary>A non-empty string.</summary>
    public string String(JsonElement obj, string path, string name, string fallback = "", bool required = true)
    {
        JsonElement? v = Get(obj, path, name, required);
        if (v is null)
        {
            return fallback;
        }

        if (v.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.Value.GetString()))
        {
            Fail(Join(path, name), "must be a non-empty string");
            return fallback;
        }

        return v.Value.GetString()!;
    }

    /// <summary>An integer JSON number within [min, max].</summary>
    public long Integer(JsonElement obj, string path, string name, long min, long max, long fallback = 0, bool required = true)
    {
        JsonElement? v = Get(obj, path, name, required);
        if (v is null)
        {
            return fallback;
        }

        if (v.Value.ValueKind != JsonValueKind.Number || !v.Value.TryGetInt64(out long n))
        {
            Fail(Join(path, name), "must be an integer");
            return fallback;
        }

        if (n < min || n > max)
        {
            Fail(Join(path, name), $"must be between {min} and {max}, got {n}");
            return fallback;
        }

        return n;
    }

    /// <summary>A boolean.</summary>
    public bool Bool(JsonElement obj, string path, string name, bool fallback = false, bool required = true)
    {
        JsonElement? v = Get(obj, path, name, required);
        if (v is null)
        {
            return fallback;
        }

        if (v.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Fail(Join(path, name), "must be true or false");
            return fallback;
        }

        return v.Value.GetBoolean();
    }

    /// <summary>A decimal string scaled by 10^decimals, within [min, max] (scaled).</summary>
    public long Decimal(JsonElement obj, string path, string name, int decimals, long min, long max, long fallback = 0, bool required = true)
    {
        JsonElement? v = Get(obj, path, name, required);
        if (v is null)
        {
            return fallback;
        }

        return Decimal(v.Value, Join(path, name), decimals, min, max, fallback);
    }

    /// <summary>A decimal string element scaled by 10^decimals, within [min, max] (scaled).</summary>
    public long Decimal(JsonElement v, string fullPath, int decimals, long min, long max, long fallback = 0)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(fullPath, "must be a decimal string such as \"0.85\" (JSON numbers lose precision)");
            return fallback;
        }

        if (!DecimalString.TryParseLong(v.GetString(), decimals, out long n, out string err))
        {
            Fail(fullPath, err);
            return fallback;
        }

        if (n < min || n > max)
        {
            Fail(fullPath, $"must be between {DecimalString.Format(min, decimals)} and {DecimalString.Format(max, decimals)}, got {v.GetString()}");
            return fallback;
        }

        return n;
    }

    /// <summary>A decimal string scaled to a ray (1e27).</summary>
    public UInt128 Ray(JsonElement obj, string path, string name, UInt128 max)
    {
        JsonElement? v = Get(obj, path, name);
        if (v is null)
        {
            return 0;
        }

        if (v.Value.ValueKind != JsonValueKind.String || !DecimalString.TryParse(v.Value.GetString(), 27, out Int128 r, out string err))
        {
            Fail(Join(path, name), v.Value.ValueKind != JsonValueKind.String ? "must be a decimal string" : "invalid decimal");
            return 0;
        }

        if (r < 0 || (UInt128)r > max)
        {
            Fail(Join(path, name), $"must be between 0 and {DecimalString.Format(max, 27)}");
            return 0;
        }

        return (UInt128)r;
    }

    /// <summary>A 0x address.</summary>
    public Address Address(JsonElement obj, string path, string name)
    {
        string s = String(obj, path, name);
        if (s.Length == 0)
        {
            return default;
        }

        if (!State.Address.TryParse(s, out Address a))
        {
            Fail(Join(path, name), $"'{s}' is not a 0x-prefixed 20-byte hex address");
        }

        return a;
    }

    /// <summary>Joins a parent path and a field name.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
