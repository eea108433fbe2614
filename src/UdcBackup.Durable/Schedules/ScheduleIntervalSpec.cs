namespace UdcBackup.Durable.Schedules;

/// <summary>Fires at every instant t (UTC) with (t - Unix epoch - Offset) a multiple of Every.</summary>
public sealed record ScheduleIntervalSpec(TimeSpan Every, TimeSpan Offset = default);
