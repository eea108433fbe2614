using System.Text.Json;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Client;

/// <summary>Everything known about one run: status, result or failure, pending activities and the full history.</summary>
public sealed record WorkflowExecutionDescription(
    string WorkflowId,
    string RunId,
    string WorkflowType,
    WorkflowExecutionStatus Status,
    DateTime StartTime,
    DateTime? CloseTime,
    JsonElement? Input,
    JsonElement? Result,
    FailureInfo? Failure,
    string? ParentWorkflowId,
    IReadOnlyList<PendingActivityInfo> PendingActivities,
    IReadOnlyList<HistoryEvent> History);
