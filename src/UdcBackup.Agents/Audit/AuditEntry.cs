namespace UdcBackup.Agents.Audit;

/// <summary>
/// One audited request: who acted (the identity from the peer's certificate, e.g. <c>disk:portal-db</c>,
/// or <c>unauthenticated</c>), for whom when acting on another's behalf, what they asked, on what,
/// the decision and its reason.
/// </summary>
public sealed record AuditEntry
{
    public required DateTimeOffset Time { get; init; }

    public required string Actor { get; init; }

    public string? OnBehalfOf { get; init; }

    public required string Action { get; init; }

    public string? Target { get; init; }

    public string? JobId { get; init; }

    public required AuditDecision Decision { get; init; }

    public required string Reason { get; init; }
}
