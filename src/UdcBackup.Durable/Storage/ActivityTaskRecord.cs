using System.Text.Json;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// The mutable state of a scheduled activity that has no final outcome yet (row of
/// <c>activity_tasks</c>): which attempt runs or comes next, the last failure, the latest
/// persisted heartbeat details. Deleted when the outcome event is recorded.
/// </summary>
public sealed record ActivityTaskRecord(
    string RunId,
    int CommandId,
    string WorkflowId,
    string WorkflowType,
    string ActivityType,
    JsonElement? Input,
    JsonElement Options,
    int Attempt,
    DateTime ScheduledTime,
    DateTime? StartedTime,
    DateTime? NextAttemptTime,
    FailureInfo? LastFailure,
    JsonElement? HeartbeatDetails,
    DateTime? HeartbeatTime);
