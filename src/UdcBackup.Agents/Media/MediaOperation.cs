namespace UdcBackup.Agents.Media;

/// <summary>What a peer asks a media agent to do.</summary>
public enum MediaOperation
{
    /// <summary>Send a backup stream into the archive (disk agent, with a backup token).</summary>
    BackupStream,

    /// <summary>Receive a snapshot's data (disk agent, with a restore token).</summary>
    RestoreStream,

    /// <summary>List snapshots (controller only).</summary>
    ListSnapshots,

    /// <summary>Delete or prune snapshots (controller only).</summary>
    DeleteSnapshots,
}
