using System.Text.Json;
using System.Text.Json.Serialization;

namespace Solvent.Sim.Reports;

/// <summary>The one JSON shape of every stress output (camelCase, indented, no timings, so equal seeds give equal bytes).</summary>
public static class SummaryJson
{
    /// <summary>Serializer options for summaries.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serializes any summary object.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
