namespace UdcBackup.Durable.Schedules;

/// <summary>The mutable state of a schedule, stored as JSON next to its definition.</summary>
internal sealed class ScheduleState
{
    public const int MaxRecentActions = 20;

    public bool Paused { get; set; }

    public string? Note { get; set; }

    /// <summary>Gets or sets the instant up to which fire times have been handled (fired, skipped or dropped).</summary>
    public DateTime ProcessedUntil { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<string> RunningWorkflowIds { get; set; } = [];

    public DateTime? BufferedFireTime { get; set; }

    public List<ScheduleActionResult> RecentActions { get; set; } = [];

    public void Record(ScheduleActionResult action)
    {
        RecentActions.Add(action);
        if (RecentActions.Count > MaxRecentActions)
        {
            RecentActions.RemoveRange(0, RecentActions.Count - MaxRecentActions);
        }
    }
}
