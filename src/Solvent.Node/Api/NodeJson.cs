using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Solvent.Core.Events;
using Solvent.Core.State;

namespace Solvent.Node.Api;

/// <summary>
/// JSON settings of the API: camelCase, addresses as 0x strings, subaccounts as {owner, subaccount},
/// 128-bit integers as strings (never JSON doubles), engine events with their type name.
/// </summary>
public static class NodeJson
{
    /// <summary>Options shared by HTTP responses and the stream.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Adds the node's converters and naming to <paramref name="o"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.Converters.Add(new AddressConverter());
        o.Converters.Add(new AccountKeyConverter());
        o.Converters.Add(new Int128Converter());
        o.Converters.Add(new UInt128Converter());
        o.Converters.Add(new EventConverter());
        return o;
    }

    private sealed class AddressConverter : JsonConverter<Address>
    {
        public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Address.TryParse(reader.GetString(), out Address a) ? a : throw new JsonException("expected a 0x-prefixed 20-byte address");

        public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class AccountKeyConverter : JsonConverter<AccountKey>
    {
        public override AccountKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, AccountKey value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("owner", value.Owner.ToString());
            writer.WriteNumber("subaccount", value.Number);
            writer.WriteEndObject();
        }
    }

    private sealed class Int128Converter : JsonConverter<Int128>
    {
        public override Int128 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Int128.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, Int128 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    private sealed class UInt128Converter : JsonConverter<UInt128>
    {
        public override UInt128 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => UInt128.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, UInt128 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes any engine event as {"type": "Traded", ...its fields}.</summary>
    private sealed class EventConverter : JsonConverter<EngineEvent>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(EngineEvent).IsAssignableFrom(typeToConvert);

        public override EngineEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        // Reflected once per event type: the acknowledgement of every action writes its events.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (JsonEncodedText Type, (JsonEncodedText Name, System.Reflection.PropertyInfo Property)[] Fields)> Shapes = new();

        public override void Write(Utf8JsonWriter writer, EngineEvent value, JsonSerializerOptions options)
        {
            (JsonEncodedText type, (JsonEncodedText Name, System.Reflection.PropertyInfo Property)[] fields) = Shapes.GetOrAdd(value.GetType(), static t => (
                JsonEncodedText.Encode(t.Name),
                [.. t.GetProperties().Where(p => p.Name != "EqualityContract").Select(p => (JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(p.Name)), p))]));
            writer.WriteStartObject();
            writer.WriteString("type", type);
            foreach ((JsonEncodedText name, System.Reflection.PropertyInfo p) in fields)
            {
                writer.WritePropertyName(name);
                object? v = p.GetValue(value);
                if (v is long l)
                {
                    // Amounts can exceed 2^53: strings keep them exact for JSON clients.
                    writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    JsonSerializer.Serialize(writer, v, p.PropertyType, options);
                }
            }

            writer.WriteEndObject();
        }
    }
}
