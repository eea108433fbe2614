namespace UdcBackup.Workflows.Backup;

/// <summary>The job's full/incremental pattern and the time zone its days are read in.</summary>
public sealed record LevelSpec(IReadOnlyList<DayOfWeek> FullOn, int? FullEvery, string TimeZone);
