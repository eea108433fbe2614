namespace UdcBackup.Agents.Disk;

/// <summary>
/// The controller's order to a disk agent to move data with a media agent: which media agent
/// (address and system id, checked against its certificate), the job token the controller minted
/// for it, and either the paths to back up (into a backup session) or the folder to restore into.
/// See docs/design/agent-protocol.md "Messages" for every member.
/// </summary>
public sealed record TransferJobRequest
{
    public required string JobId { get; init; }

    public required string MediaAgentUrl { get; init; }

    public required string MediaAgentId { get; init; }

    public required string Token { get; init; }

    /// <summary>Backup: paths inside the configured data paths.</summary>
    public string[] Paths { get; init; } = [];

    /// <summary>Backup: exclude patterns (see <see cref="UdcBackup.Archive.Backup.ExcludeFilter"/>: the same rules as a local archive backup).</summary>
    public string[] Excludes { get; init; } = [];

    /// <summary>Backup: the session the stream adds to; default = the job id.</summary>
    public string? SessionId { get; init; }

    /// <summary>Backup: the stream's name in the session; default derived from the paths.</summary>
    public string? Stream { get; init; }

    /// <summary>Backup: seal the session into its snapshot after this stream.</summary>
    public bool Seal { get; init; } = true;

    /// <summary>Backup: <c>full</c> or <c>incremental</c>.</summary>
    public string Level { get; init; } = "full";

    /// <summary>Backup, incremental: the parent snapshot; null = the system's newest.</summary>
    public string? ParentSnapshotId { get; init; }

    /// <summary>Repository name the controller expects the media agent to hold.</summary>
    public string? Repository { get; init; }

    /// <summary>The controller's last recorded progress of an earlier attempt (informational, audited).</summary>
    public TransferCounters? ResumeFrom { get; init; }

    /// <summary>Restore: target folder inside one of the configured restore roots.</summary>
    public string? Target { get; init; }

    /// <summary>Restore: archive path patterns to restore (all when empty).</summary>
    public string[] Includes { get; init; } = [];

    /// <summary>
    /// Restore: absolute folders, each one of <see cref="Includes"/>, restored in replace mode: once
    /// every entry is written, what the snapshot does not hold below them is removed (<see cref="RestoreReplacer"/>).
    /// </summary>
    public string[] ReplaceRoots { get; init; } = [];
}
