namespace UdcBackup.Workflows.Backup;

/// <summary>Result (and query <c>progress</c>) of a backup run: the phase and one line per system, in job order.</summary>
public sealed record BackupJobResult(string RunId, string JobId, string Phase, IReadOnlyList<SystemBackupResult> Systems, int WindowsClosed);
