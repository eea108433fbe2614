namespace UdcBackup.Agents.Media.Sessions;

/// <summary>
/// Body of <c>POST /v1/sessions/{sessionId}</c>: the stream the disk agent is about to send and the
/// session's level and parent (fixed by the first open; a later open must agree).
/// </summary>
public sealed record SessionOpenRequest
{
    public required string Stream { get; init; }

    /// <summary>The stream's source paths on the protected system (recorded, informational).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary><c>full</c> or <c>incremental</c>.</summary>
    public string Level { get; init; } = SessionLevels.Full;

    /// <summary>Incremental only: parent snapshot id or prefix; null = the system's newest snapshot.</summary>
    public string? ParentSnapshotId { get; init; }

    /// <summary>Must equal the media agent's repository name when given.</summary>
    public string? Repository { get; init; }
}
