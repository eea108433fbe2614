using System.Text.Json;

namespace UdcBackup.Server.Api.Contracts;

/// <summary>
/// One event of a run's history; which optional fields are set depends on <see cref="EventType"/>.
/// <see cref="MarkerName"/>: the patch a MarkerRecorded event says the run's code took.
/// </summary>
public sealed record HistoryEntry(
    long EventId,
    string EventType,
    DateTime Timestamp,
    int? CommandId,
    string? ActivityType,
    int? Attempt,
    string? SignalName,
    string? WorkflowType,
    string? WorkflowId,
    JsonElement? Input,
    JsonElement? Result,
    Failure? Failure,
    DateTime? FireAt,
    string? Details,
    string? MarkerName = null);
