namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Answer to opening a backup session: the epoch the stream must quote, the session's level and
/// parent, the resume point of the stream being opened, the fingerprints of every file that need
/// not be sent, and the snapshot when the session is already sealed (a retried job).
/// <see cref="Http11Streams"/> tells the disk agent that the stream may go over HTTP/1.1 (an older
/// media agent leaves it out, and its disk agents keep sending over HTTP/2).
/// </summary>
public sealed record SessionState(
    string SessionId,
    long Epoch,
    string Level,
    string? ParentSnapshotId,
    SessionStreamState Stream,
    IReadOnlyList<HeldFile> Held,
    SnapshotInfo? SealedSnapshot)
{
    /// <summary>The media agent takes <c>PUT .../streams/{stream}</c> over HTTP/1.1 on its listener (same mutual TLS).</summary>
    public bool Http11Streams { get; init; }
}
