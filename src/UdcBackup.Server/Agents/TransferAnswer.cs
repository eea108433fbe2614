using System.Text.Json;
using UdcBackup.Activities.Systems;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Server.Agents;

/// <summary>
/// Reads a disk agent's answer to <c>POST /v1/jobs/backup|restore</c> (agent-protocol.md,
/// "Messages"): NDJSON lines <c>resume</c> and <c>progress</c> (running <c>{bytes, files}</c>,
/// passed to <c>onProgress</c> as they arrive), then one <c>result</c> line, whose
/// <c>backup</c> or <c>restore</c> member is returned, or an <c>error</c> line, turned into the
/// same failure its HTTP status and problem <c>type</c> would have been as problem details
/// (<see cref="AgentConnections.Failure"/>: damaged data, a full repository and a full restore target are not retried). An answer that ends without either is a broken
/// connection (retried). An agent that answers one JSON document instead is read as the result.
/// </summary>
public static class TransferAnswer
{
    /// <summary>
    /// Reads the answer and returns the result member named <paramref name="resultMember"/> (cloned,
    /// so it outlives the response); <paramref name="repository"/> names the media agent's repository
    /// and <paramref name="restoreTarget"/> the restore target in a failure that concerns them.
    /// </summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string resultMember, string who, string path, Action<TransferProgress> onProgress, CancellationToken cancellationToken, string? repository = null, string? restoreTarget = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(onProgress);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != AgentConnections.NdJson)
        {
            using var whole = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return whole.RootElement.Clone();
        }

        using var reader = new StreamReader(body);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                switch (root.TryGetProperty("type", out var type) ? type.GetString() : null)
                {
                    case "resume" or "progress" when root.TryGetProperty("progress", out var progress):
                        onProgress(Progress(progress));
                        break;
                    case "result" when root.TryGetProperty(resultMember, out var result):
                        return result.Clone();
                    case "error":
                        var error = root.GetProperty("error");
                        var status = error.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : 502;
                        var problemType = Text(error, "type");
                        throw AgentConnections.Failure(who, path, status, string.Join(": ", new[] { Text(error, "title"), Text(error, "detail") }.Where(t => t.Length > 0)), problemType.Length > 0 ? problemType : null, repository, restoreTarget);
                    default:
                        // Unknown line types are for newer controllers; skip them.
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException)
        {
            throw new ApplicationFailureException($"the answer of {who} to {path} broke off: {ex.Message}", AgentConnections.UnreachableErrorType);
        }

        throw new ApplicationFailureException($"the answer of {who} to {path} ended without a result (connection broken)", AgentConnections.UnreachableErrorType);
    }

    /// <summary>The <c>{bytes, files}</c> of a progress object.</summary>
    public static TransferProgress Progress(JsonElement progress) =>
        new(Number(progress, "bytes"), Number(progress, "files"));

    /// <summary>A number member, 0 when absent.</summary>
    public static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : 0;

    /// <summary>A string member, empty when absent or null.</summary>
    public static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
