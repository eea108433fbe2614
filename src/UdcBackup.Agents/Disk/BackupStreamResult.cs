using UdcBackup.Agents.Media;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// A finished backup stream into a session: the snapshot when the session was sealed (null
/// otherwise), the files that could not be read, the session and stream it went into, and its
/// final counters. Sent as the <c>backup</c> member of the NDJSON result line, or alone as JSON.
/// </summary>
public sealed record BackupStreamResult(SnapshotInfo? Snapshot, IReadOnlyList<string> Warnings)
{
    public string? SessionId { get; init; }

    public string? Stream { get; init; }

    public bool Sealed => Snapshot is not null;

    public TransferCounters Progress { get; init; } = new();
}
