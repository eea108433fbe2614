using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UdcBackup.Workflows.Flow;

/// <summary>Typed reads of a control node's <c>config</c> values and of duration texts.</summary>
public static partial class FlowConfig
{
    public static string? Text(FlowNode node, string key) =>
        node?.Config is { } config && config.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Has(FlowNode node, string key) =>
        node?.Config is { } config && config.TryGetValue(key, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public static int? Number(FlowNode node, string key) =>
        node?.Config is { } config && config.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    public static bool? Bool(FlowNode node, string key) =>
        node?.Config is { } config && config.TryGetValue(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>Parses <c>[d.]hh:mm:ss[.fff]</c>; null for anything else (including negative spans).</summary>
    public static TimeSpan? Duration(string? text) =>
        text is not null && DurationPattern().IsMatch(text) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;

    [GeneratedRegex(@"^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
