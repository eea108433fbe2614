namespace UdcBackup.Durable.Schedules;

/// <summary>A schedule with its state: paused or not, the next fire times, recent actions and running workflows.</summary>
public sealed record ScheduleDescription(
    ScheduleDefinition Definition,
    bool Paused,
    string? Note,
    IReadOnlyList<DateTime> NextFireTimes,
    IReadOnlyList<ScheduleActionResult> RecentActions,
    IReadOnlyList<string> RunningWorkflowIds,
    DateTime? BufferedFireTime,
    DateTime CreatedAt);
