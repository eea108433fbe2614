namespace UdcBackup.Agents.Tokens;

/// <summary>Which way a job's data flows between a disk agent and a media agent.</summary>
public enum JobDirection
{
    /// <summary>Disk agent sends data to the media agent.</summary>
    Backup,

    /// <summary>Media agent sends a snapshot's data to the disk agent.</summary>
    Restore,
}
