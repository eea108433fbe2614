using System.Text.Json;

namespace UdcBackup.Durable.Schedules;

/// <summary>The workflow a firing starts; its id is "{schedule id}-{fire time UTC, yyyyMMddTHHmmssZ}".</summary>
public sealed record ScheduleWorkflowAction(string WorkflowType, JsonElement? Input = null)
{
    /// <summary>
    /// Gets the exclusive keys each run it starts holds (<see cref="Client.WorkflowStartOptions.ExclusiveKeys"/>):
    /// a firing while a running run (the schedule's or any other) holds one of them starts nothing
    /// and is recorded as Skipped, naming that run.
    /// </summary>
    public IReadOnlyList<string> ExclusiveKeys { get; init; } = [];
}
