namespace UdcBackup.Agents.Identity;

/// <summary>A stored enrollment token: only its SHA-256 is kept, never the token itself.</summary>
public sealed record EnrollmentTokenRecord(
    string Sha256,
    string SystemId,
    AgentRole Role,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt);
