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
        var takes = Takes(type.StartsWith("Nullable<", StringComparison.Ordinal) ? type["Nullable<".Length..^1] : type);
        if (takes is null)
        {
            return null;
        }

        var where = request.Query.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ? "Query parameter" : "Parameter";
        return $"{where} '{name}' takes {takes}; '{match.Groups["value"].Value}' is not one.";
    }

    private static string? Takes(string type) => type switch
    {
        "int" or "long" or "short" or "uint" or "ulong" or "ushort" or "byte" => "a whole number (digits only, e.g. 100)",
        "double" or "float" or "decimal" => "a number (e.g. 2.5)",
        "bool" => "true or false",
        "Guid" => "a GUID",
        "DateTime" or "DateTimeOffset" => "an ISO 8601 time (e.g. 2026-01-31T02:00:00Z)",
        "TimeSpan" => "a duration (e.g. 01:30:00)",
        _ => null,
    };

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();
}
