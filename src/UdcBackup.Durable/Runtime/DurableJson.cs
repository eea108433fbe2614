using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Durable.Runtime;

/// <summary>The one set of JSON options for payloads, history and store rows (cached: building options is expensive).</summary>
internal static class DurableJson
{
    public static readonly JsonSerializerOptions Options = Create(false);

    public static readonly JsonSerializerOptions IndentedOptions = Create(true);

    public static JsonElement? ToElement(object? value) => value switch
    {
        null => null,
        JsonElement e => e,
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), Options),
    };

    public static object? FromElement(JsonElement? value, Type type)
    {
        if (type == typeof(void))
        {
            return null;
        }

        if (value is not { } e || e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        return type == typeof(JsonElement) ? e : e.Deserialize(type, Options);
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
