namespace UdcBackup.Durable.Schedules;

/// <summary>Overlap and catch-up behaviour of a schedule.</summary>
public sealed record SchedulePolicy
{
    public ScheduleOverlapPolicy Overlap { get; init; } = ScheduleOverlapPolicy.Skip;

    /// <summary>Gets how late a missed firing (e.g. during downtime) may still be taken; older ones are dropped.</summary>
    public TimeSpan CatchupWindow { get; init; } = TimeSpan.FromHours(1);
}
