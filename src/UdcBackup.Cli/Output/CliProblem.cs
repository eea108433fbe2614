using System.Text.Json;

namespace UdcBackup.Cli.Output;

/// <summary>
/// What <c>--json</c> prints on stdout when a command fails without a problem document from the
/// controller to pass on: input the CLI refused itself, a controller it could not reach, an
/// interruption, or an error answer whose body is not JSON (a bare 401, a proxy's HTML page). It
/// has the shape of the controller's problem details (<c>type</c>, <c>title</c>, <c>status</c>,
/// <c>detail</c>) so a script reads every failure the same way; <c>status</c> is the HTTP status
/// when there was an answer and null when there was none, and <c>exitCode</c> is the process's
/// exit code. The human message still goes to stderr. One compact line, so NDJSON readers of
/// <c>workflow list --all --json</c> can read it too.
/// </summary>
internal static class CliProblem
{
    /// <summary>Input refused before anything was sent (exit code 2).</summary>
    public const string BadInputType = "urn:udc:cli:bad-input";

    /// <summary>No answer from the controller at all (exit code 1).</summary>
    public const string UnreachableType = "urn:udc:cli:unreachable";

    /// <summary>Stopped by SIGINT/SIGTERM (exit code 1).</summary>
    public const string InterruptedType = "urn:udc:cli:interrupted";

    /// <summary>The controller answered with an error whose body was not a problem document.</summary>
    public const string ControllerErrorType = "urn:udc:cli:controller-error";

    /// <summary>The operation failed locally (an archive or file error; exit code 1 or 2).</summary>
    public const string FailedType = "urn:udc:cli:failed";

    // Relaxed escaping: the line is read by people too, and is never embedded in HTML.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one problem line to <paramref name="output"/>; <paramref name="extensions"/> are further members (problem details extensions) a script may read.</summary>
    public static Task WriteAsync(TextWriter output, string type, string title, string? detail, int exitCode, int? status = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var document = new Document(type, title, status, detail, exitCode) { Extensions = extensions?.ToDictionary() };
        return output.WriteLineAsync(JsonSerializer.Serialize(document, Options));
    }

    /// <summary>With <c>--json</c>, writes the problem line; returns <paramref name="exitCode"/> either way, for the caller to return.</summary>
    public static async Task<int> WriteIfJsonAsync(bool json, TextWriter output, string type, string title, string detail, int exitCode)
    {
        if (json)
        {
            await WriteAsync(output, type, title, detail, exitCode);
        }

        return exitCode;
    }

    /// <summary>True when <paramref name="body"/> is a JSON object, i.e. a document a script can read as it is.</summary>
    public static bool IsJsonObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record Document(string Type, string Title, int? Status, string? Detail, int ExitCode)
    {
        [System.Text.Json.Serialization.JsonExtensionData]
        public Dictionary<string, object?>? Extensions { get; init; }
    }
}
