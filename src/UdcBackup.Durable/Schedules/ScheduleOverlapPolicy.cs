namespace UdcBackup.Durable.Schedules;

/// <summary>What a firing does while the schedule's previous run is still running.</summary>
public enum ScheduleOverlapPolicy
{
    /// <summary>Do not start; the firing is recorded as skipped.</summary>
    Skip = 1,

    /// <summary>Start it when the running one closes; at most one firing waits, later ones are skipped.</summary>
    BufferOne = 2,

    /// <summary>Start anyway; runs overlap.</summary>
    AllowAll = 3,
}
