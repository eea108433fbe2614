namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Answer to opening a backup session: the epoch the stream must quote, the session's level and
/// parent, the resume point of the stream being opened, the fingerprints of every file that need
/// not be sent, and the snapshot when the session is already sealed (a retried job).
/// </summary>
public sealed record SessionState(
    string SessionId,
    long Epoch,
    string Level,
    string? ParentSnapshotId,
    SessionStreamState Stream,
    IReadOnlyList<HeldFile> Held,
    SnapshotInfo? SealedSnapshot);
