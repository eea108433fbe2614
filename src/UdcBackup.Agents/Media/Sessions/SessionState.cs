namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Answer to opening a backup session: the epoch the stream must quote, the session's level and
/// parent, the resume point of the stream being opened, the fingerprints of every file that need
/// not be sent, and the snapshot when the session is already sealed (a retried job).
/// <see cref="Http11Streams"/> tells the disk agent that the stream may go over HTTP/1.1 (an older
/// media agent leaves it out, and its disk agents keep sending over HTTP/2).
/// <see cref="UpgradeStreams"/> tells it that the stream may go on an HTTP/1.1 connection upgraded
/// to the bare TLS stream (no chunked encoding; a media agent without it leaves it out).
/// <see cref="EntryStreamVersion"/> is the highest entry stream format the media agent reads (2:
/// entry-end frames that mark a file changed while read; 3: as 2 with CRC-32C check values);
/// absent (0) means version 1 only.
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

    /// <summary>The media agent takes <c>PUT .../streams/{stream}</c> as an HTTP/1.1 upgrade to <see cref="Hosting.AgentHeaders.EntryStreamUpgrade"/>.</summary>
    public bool UpgradeStreams { get; init; }

    /// <summary>The highest entry stream version <c>PUT .../streams/{stream}</c> takes; 0 from a media agent that predates the member (version 1).</summary>
    public int EntryStreamVersion { get; init; }
}
