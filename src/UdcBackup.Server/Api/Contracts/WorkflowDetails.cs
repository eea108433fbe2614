using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>Answer of <c>GET /api/workflows/{id}</c>: status, result or failure, pending activities and the full history.</summary>
public sealed record WorkflowDetails(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    string Status,
    DateTime StartTime,
    DateTime? CloseTime,
    JsonElement? Input,
    JsonElement? Result,
    Failure? Failure,
    string? ParentWorkflowId,
    IReadOnlyList<PendingActivity> PendingActivities,
    IReadOnlyList<HistoryEntry> History);
