using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace UdcBackup.Server.Api;

/// <summary>
/// Rewords the framework's refusal of a query or route value that does not convert to the
/// endpoint's parameter type (<c>Failed to bind parameter "Nullable&lt;int&gt; limit" from
/// "abc".</c>, C# type names an operator need not know) as a sentence naming the parameter, the
/// value sent and what the parameter takes. Every endpoint's binding failure passes through
/// <see cref="ApiExceptionHandler"/>, so each numeric parameter (<c>limit</c> of the runs, jobs
/// and audit lists, <c>version</c> of the site) is answered alike. Any other message, or a type
/// not listed here, is returned unchanged: the framework's text is still better than none.
/// </summary>
internal static partial class ParameterBindingFailure
{
    /// <summary>The operator's sentence for <paramref name="message"/>, or null when it is not a value that failed to convert.</summary>
    public static string? Describe(string message, HttpRequest request)
    {
        var match = FailedToBind().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var type = match.Groups["type"].Value;
        var name = match.Groups["name"].Value;
        var takes = Aliases.TryGetValue(type.StartsWith("Nullable<", StringComparison.Ordinal) ? type["Nullable<".Length..^1] : type, out var known) ? Takes(known) : null;
        if (takes is null)
        {
            return null;
        }

        var where = request.Query.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ? "Query parameter" : "Parameter";
        return $"{where} '{name}' takes {takes}; '{match.Groups["value"].Value}' is not one.";
    }

    /// <summary>
    /// The operator's sentence for a body field whose JSON value does not convert to its type
    /// (<c>"interval": "10 minutes"</c>), naming the field by its JSON path and what it takes, where the
    /// parser's own words name the request's C# type; null when the failure is not such a value
    /// (malformed JSON keeps the parser's line and position).
    /// </summary>
    public static string? Describe(JsonException json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var match = CouldNotConvert().Match(json.Message);
        if (!match.Success || json.Path is not { Length: > 2 } path || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        // The parser names the field's type, or (for a record bound through its constructor) the
        // request's, whose property the path then names.
        var takes = Resolve(match.Groups["type"].Value) is { } type ? Takes(type) ?? Takes(FieldType(type, path[2..])) : null;
        if (takes is null)
        {
            return null;
        }

        var at = json.LineNumber is { } line && json.BytePositionInLine is { } position ? $" (line {line + 1}, position {position + 1})" : string.Empty;
        return $"Field '{path[2..]}' takes {takes}; the value sent{at} is not one.";
    }

    private static Type? Resolve(string name) => Type.GetType(name) ?? typeof(ParameterBindingFailure).Assembly.GetType(name);

    /// <summary>The type of the property <paramref name="path"/> ("interval", "a.b") names on <paramref name="type"/>, or <see cref="object"/>.</summary>
    private static Type FieldType(Type type, string path)
    {
        foreach (var name in path.Split('.'))
        {
            if (type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not { } property)
            {
                return typeof(object);
            }

            type = property.PropertyType;
        }

        return type;
    }

    /// <summary>What a value of <paramref name="type"/> is, in an operator's words; null for a type not listed here (enums too).</summary>
    public static string? Takes(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return null;
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 or TypeCode.Int64 or TypeCode.Int16 or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.UInt16 or TypeCode.Byte => "a whole number (digits only, e.g. 100)",
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "a number (e.g. 2.5)",
            TypeCode.Boolean => "true or false",
            TypeCode.DateTime => "an ISO 8601 time (e.g. 2026-01-31T02:00:00Z)",
            _ when type == typeof(DateTimeOffset) => "an ISO 8601 time (e.g. 2026-01-31T02:00:00Z)",
            _ when type == typeof(Guid) => "a GUID",
            _ when type == typeof(TimeSpan) => "a duration as hh:mm:ss or d.hh:mm:ss (e.g. 01:30:00, 1.00:00:00)",
            _ => null,
        };
    }

    // The binder's message names the type as C# writes it.
    private static readonly FrozenDictionary<string, Type> Aliases = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["int"] = typeof(int), ["long"] = typeof(long), ["short"] = typeof(short), ["uint"] = typeof(uint), ["ulong"] = typeof(ulong), ["ushort"] = typeof(ushort), ["byte"] = typeof(byte),
        ["double"] = typeof(double), ["float"] = typeof(float), ["decimal"] = typeof(decimal), ["bool"] = typeof(bool), ["Guid"] = typeof(Guid),
        ["DateTime"] = typeof(DateTime), ["DateTimeOffset"] = typeof(DateTimeOffset), ["TimeSpan"] = typeof(TimeSpan),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    [GeneratedRegex("""^The JSON value could not be converted to (?<type>\S+)\. Path:""", RegexOptions.Singleline)]
    private static partial Regex CouldNotConvert();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();
}
