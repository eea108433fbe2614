namespace UdcBackup.Durable.Schedules;

/// <summary>What a schedule is: id, when it fires, what it starts, how it handles overlap and downtime.</summary>
public sealed record ScheduleDefinition(string Id, ScheduleSpec Spec, ScheduleWorkflowAction Action)
{
    public SchedulePolicy Policy { get; init; } = new();

    /// <summary>Gets a value indicating whether the schedule is created paused.</summary>
    public bool Paused { get; init; }

    public string? Note { get; init; }
}
