namespace UdcBackup.Server.Agents;

/// <summary>
/// A new enrollment token (shown once; the controller keeps only its hash), the identity it
/// enrolls, its expiry and the CA fingerprint the agent must pin (<c>--ca-sha256</c>).
/// </summary>
public sealed record EnrollmentTokenCreated(string Token, string SystemId, string Role, DateTimeOffset ExpiresAt, string CaSha256);
