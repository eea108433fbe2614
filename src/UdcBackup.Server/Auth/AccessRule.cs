namespace UdcBackup.Server.Auth;

/// <summary>What a request needs: the lowest role (null: open to anyone) and whether it is written to the audit log.</summary>
public sealed record AccessRule(UserRole? Required, bool Audited);
