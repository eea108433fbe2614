using System.Text.Json;

namespace UdcBackup.Durable.Activities;

/// <summary>What an activity attempt knows about itself.</summary>
public sealed record ActivityInfo(
    string ActivityType,
    int ActivityId,
    int Attempt,
    string WorkflowId,
    string WorkflowRunId,
    string WorkflowType,
    DateTime ScheduledTime,
    DateTime StartedTime,
    TimeSpan? HeartbeatTimeout,
    JsonElement? HeartbeatDetails);
