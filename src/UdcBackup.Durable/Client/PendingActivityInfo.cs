using System.Text.Json;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable.Client;

/// <summary>An activity that was scheduled and has not reached a final outcome yet.</summary>
public sealed record PendingActivityInfo(
    int ActivityId,
    string ActivityType,
    int Attempt,
    DateTime ScheduledTime,
    DateTime? LastStartedTime,
    DateTime? NextAttemptTime,
    FailureInfo? LastFailure,
    JsonElement? HeartbeatDetails,
    DateTime? LastHeartbeatTime);
