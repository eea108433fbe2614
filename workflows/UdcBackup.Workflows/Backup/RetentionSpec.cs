namespace UdcBackup.Workflows.Backup;

/// <summary>The job's retention policy as plain input.</summary>
public sealed record RetentionSpec(int KeepLast, int KeepDaily, int KeepWeekly, int KeepMonthly, int KeepYearly);
