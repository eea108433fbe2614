using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace UdcBackup.Server.Auth;

/// <summary>
/// What an audited request acted on, as <c>name=value</c> pairs: the route values (the run,
/// schedule, flow or user id in the path), then a few well-known top-level string fields of a
/// JSON body (<c>job</c>, <c>system</c>, <c>to</c>, <c>snapshot</c>, <c>type</c>, <c>id</c>,
/// <c>user</c>, <c>role</c>, <c>note</c>). Only those names are ever read, so a password in a body never
/// reaches the log. The body is buffered by <see cref="Prepare"/> before the endpoint reads it
/// and rewound afterwards; a body that is not JSON simply adds nothing.
/// </summary>
internal static class AuditTarget
{
    private const int MaxLength = 400;
    private static readonly string[] BodyFields = ["job", "system", "to", "snapshot", "type", "id", "user", "role", "note"];

    /// <summary>Makes the body readable again after the endpoint consumed it.</summary>
    public static void Prepare(HttpRequest request)
    {
        if (IsJson(request))
        {
            request.EnableBuffering();
        }
    }

    public static async Task<string?> ReadAsync(HttpContext context)
    {
        var parts = context.Request.RouteValues
            .Where(v => v.Value is string { Length: > 0 })
            .Select(v => $"{v.Key}={v.Value}")
            .ToList();
        parts.AddRange(await BodyFieldsAsync(context.Request));
        var text = string.Join(", ", parts.Distinct(StringComparer.Ordinal));
        return text.Length == 0 ? null : text.Length <= MaxLength ? text : text[..MaxLength];
    }

    private static async Task<IEnumerable<string>> BodyFieldsAsync(HttpRequest request)
    {
        if (!IsJson(request) || !request.Body.CanSeek)
        {
            return [];
        }

        try
        {
            request.Body.Position = 0;
            using var document = await JsonDocument.ParseAsync(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return BodyFields
                .Select(name => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? $"{name}={value.GetString()}" : null)
                .Where(p => p is not null)
                .Select(p => p!)
                .ToList();
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return [];
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
}
