using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Storage;

/// <summary>One run of a workflow id, as stored (row of <c>executions</c>). <see cref="LeaseEpoch"/> grows by one at every claim (fencing token).</summary>
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
    DateTime? LeaseExpiresAt)
{
    /// <summary>Gets the fencing token of the current owner: incremented by every claim; new runs start at 1.</summary>
    public long LeaseEpoch { get; init; }

    /// <summary>Gets the run's search attributes, written with a new run (reads leave it empty).</summary>
    public IReadOnlyList<SearchAttribute> SearchAttributes { get; init; } = [];

    /// <summary>Gets the keys the run holds while it runs (<see cref="WorkflowStartOptions.ExclusiveKeys"/>), written with a new run (reads leave it empty).</summary>
    public IReadOnlyList<string> ExclusiveKeys { get; init; } = [];
}
