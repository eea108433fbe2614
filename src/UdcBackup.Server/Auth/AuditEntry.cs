namespace UdcBackup.Server.Auth;

/// <summary>
/// One audited request: when, who (null when not signed in), with which role, what was asked
/// (method, path, the endpoint's action name, its target) and the status code it got.
/// </summary>
public sealed record AuditEntry(long Id, DateTimeOffset Time, string? User, string? Role, string Method, string Path, string Action, string? Target, int Outcome);
