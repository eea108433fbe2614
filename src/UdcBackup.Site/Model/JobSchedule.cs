namespace UdcBackup.Site.Model;

/// <summary>
/// When a job starts: a cron expression (5 fields, or 6 with seconds first) read in an IANA time
/// zone, and its window: the longest one attempt of a system's stream may take before it is
/// stopped (and retried, up to the stream's attempts), and how late a fire missed while the
/// controller was down may still start. The run as a whole is not bounded by it: post-backup,
/// retries and the other systems can take it past the window.
/// </summary>
public sealed record JobSchedule(string Cron, string TimeZone, TimeSpan Window);
