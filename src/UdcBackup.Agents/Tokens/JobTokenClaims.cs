namespace UdcBackup.Agents.Tokens;

/// <summary>
/// What a job token grants: for <see cref="JobId"/>, the media agent <see cref="MediaAgentId"/>
/// accepts a <see cref="Direction"/> stream concerning system <see cref="SystemId"/> (the system
/// whose data it is) until <see cref="ExpiresAt"/>. A restore names the snapshot and, when the data
/// goes to another system, carries the operator's <see cref="Approval"/>.
/// </summary>
public sealed record JobTokenClaims
{
    public required string JobId { get; init; }

    public required string SystemId { get; init; }

    public required string MediaAgentId { get; init; }

    public required JobDirection Direction { get; init; }

    public string? SnapshotId { get; init; }

    public CrossSystemApproval? Approval { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Random value making every token unique (audit and replay tracking per job).</summary>
    public required string Nonce { get; init; }

    /// <summary>The system allowed to hold the connection: the approval's target, else the owner.</summary>
    public string PeerSystemId => Approval?.TargetSystemId ?? SystemId;
}
