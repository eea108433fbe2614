using System.Text.Json;

namespace UdcBackup.Server.Site;

/// <summary>
/// One run in <c>GET /api/jobs/{id}</c>: status, the per-system progress (from the workflow's
/// <c>progress</c> query while it runs, from its result or last state afterwards), the live
/// transfer totals of a running stream (its heartbeat), and the failure if it failed.
/// </summary>
public sealed record JobDetails(
    string Id,
    string WorkflowType,
    string Status,
    DateTime StartTime,
    DateTime? CloseTime,
    JsonElement? Progress,
    IReadOnlyList<JsonElement> RunningTransfers,
    string? Failure);
