namespace UdcBackup.Workflows.Backup;

/// <summary>Where one system of a run stands.</summary>
public enum SystemRunStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}
