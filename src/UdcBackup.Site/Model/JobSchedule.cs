namespace UdcBackup.Site.Model;

/// <summary>
/// When a job starts: a cron expression (5 fields, or 6 with seconds first) read in an IANA time
/// zone, and the longest time a run may take before it is cancelled and cleaned up.
/// </summary>
public sealed record JobSchedule(string Cron, string TimeZone, TimeSpan Window);
