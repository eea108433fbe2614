namespace UdcBackup.Site.Model;

/// <summary>
/// A scheduled backup of systems, one at a time in the listed order, to one repository of one
/// media agent. When <see cref="ContinueOnSystemFailure"/> is set a failed system is recorded and
/// the job goes on with the next one.
/// </summary>
public sealed record BackupJob(
    string Id,
    IReadOnlyList<string> Systems,
    string MediaAgent,
    string Repository,
    JobSchedule Schedule,
    LevelPattern Levels,
    RetentionPolicy Retention,
    bool ContinueOnSystemFailure);
