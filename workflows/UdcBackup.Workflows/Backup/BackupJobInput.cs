using UdcBackup.Activities.Firewall;

namespace UdcBackup.Workflows.Backup;

/// <summary>
/// Everything a backup run needs, derived from one site version at start
/// (<see cref="BackupJobInputs.FromSite"/>), so the workflow never reads the site and a later
/// apply does not change a run in flight. <see cref="RunId"/> tags the firewall rules and the
/// snapshots; <see cref="Window"/> bounds each stream (the schedule's window).
/// </summary>
public sealed record BackupJobInput(
    string RunId,
    string JobId,
    int SiteVersion,
    string MediaAgentId,
    string MediaEndpoint,
    string Repository,
    IReadOnlyList<FirewallTarget> Firewalls,
    IReadOnlyList<WindowSpec> Windows,
    IReadOnlyList<BackupSystemSpec> Systems,
    LevelSpec Levels,
    RetentionSpec? Retention,
    bool ContinueOnSystemFailure,
    TimeSpan? Window);
