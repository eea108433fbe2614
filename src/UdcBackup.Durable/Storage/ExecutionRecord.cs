using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Storage;

/// <summary>One run of a workflow id, as stored (row of <c>executions</c>).</summary>
public sealed record ExecutionRecord(
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
    string? ParentRunId,
    int? ParentCommandId,
    string? OwnerId,
    DateTime? LeaseExpiresAt);
