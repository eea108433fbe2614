using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>An activity of a run that has not reached its final outcome: where it stands and why it last failed.</summary>
public sealed record PendingActivity(
    int ActivityId,
    string ActivityType,
    int Attempt,
    DateTime ScheduledTime,
    DateTime? LastStartedTime,
    DateTime? NextAttemptTime,
    Failure? LastFailure,
    JsonElement? HeartbeatDetails,
    DateTime? LastHeartbeatTime);
