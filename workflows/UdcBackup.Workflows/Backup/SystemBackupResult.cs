namespace UdcBackup.Workflows.Backup;

/// <summary>
/// One system's line of a backup run (also its live progress): status, the step it is in, the
/// snapshot with its level, what moved, whether post-backup ran, and the failure if any.
/// </summary>
public sealed record SystemBackupResult(
    string SystemId,
    SystemRunStatus Status,
    string? Step = null,
    string? Level = null,
    string? SnapshotId = null,
    long Bytes = 0,
    long Files = 0,
    bool PostBackupRan = false,
    string? Error = null,
    string? Warning = null);
