using System.Text.Json;
using UdcBackup.Server.Api.Contracts;

namespace UdcBackup.Cli.Output;

/// <summary>
/// One line that says what a schedule starts, read from its workflow type and input: the site
/// backup job and its site version (and systems) for <c>backup.job</c> and <c>backup.refused</c>,
/// the flow and its version for <c>flow</c>, and for any other type the type with its input cut
/// to <see cref="MaxInput"/> characters (<c>--json</c> prints it whole). A job schedule's input
/// holds the whole planned site (addresses, scripts, firewalls), which is why it is not printed
/// as it is. Fields it cannot find make it fall back to the generic form, never fail.
/// </summary>
internal static class ScheduleTarget
{
    /// <summary>How much of a generic input is shown.</summary>
    public const int MaxInput = 100;

    public static string Describe(ScheduleInfo schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var input = schedule.Input is { ValueKind: JsonValueKind.Object } i ? i : (JsonElement?)null;
        var described = (schedule.WorkflowType, input) switch
        {
            ("backup.job", { } job) when Text(job, "jobId") is { } id =>
                $"backup job {id} of site version {Text(job, "siteVersion") ?? "?"}{Systems(job)}",
            ("backup.refused", { } refused) when Text(refused, "jobId") is { } id =>
                $"nothing: backup job {id} of site version {Text(refused, "siteVersion") ?? "?"} is refused ({FirstLine(Text(refused, "reason"))})",
            ("flow", { } flow) when Text(flow, "flowId") is { } id =>
                $"flow {id}, {(Text(flow, "version") is { } v && v != "0" ? $"version {v}" : "newest published version at each fire")}",
            _ => null,
        };
        return described ?? Generic(schedule);
    }

    private static string Generic(ScheduleInfo schedule)
    {
        var input = JsonInput.Compact(schedule.Input);
        if (input.Length == 0 || input == "null")
        {
            return $"workflow {schedule.WorkflowType}, no input";
        }

        return input.Length <= MaxInput
            ? $"workflow {schedule.WorkflowType}, input {input}"
            : $"workflow {schedule.WorkflowType}, input {input[..MaxInput]}... ({input.Length} characters, --json shows all)";
    }

    private static string Systems(JsonElement job)
    {
        if (!job.TryGetProperty("systems", out var systems) || systems.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var ids = systems.EnumerateArray()
            .Select(s => s.ValueKind == JsonValueKind.Object ? Text(s, "systemId") : null)
            .OfType<string>()
            .ToList();
        return ids.Count == 0 ? string.Empty : $": {string.Join(", ", ids)}";
    }

    private static string FirstLine(string? text) => text is null ? "no reason given" : text.Split('\n')[0].Trim();

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;
}
