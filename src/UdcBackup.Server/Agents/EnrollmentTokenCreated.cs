namespace UdcBackup.Server.Agents;

/// <summary>
/// A new enrollment token (shown once; the controller keeps only its hash), the identity it
/// enrolls, its expiry, the CA fingerprint the agent must pin (<c>--ca-sha256</c>) and the address
/// to enroll at (<c>--server</c>; null when the controller has no agent listener, see
/// <see cref="AgentEnrollmentUrl"/>) with where its host came from (<see cref="ServerHostFrom"/>: one of
/// the <see cref="AgentEnrollmentAddress"/> constants), so the hint can say whether to trust or replace it.
/// </summary>
public sealed record EnrollmentTokenCreated(string Token, string SystemId, string Role, DateTimeOffset ExpiresAt, string CaSha256, string? ServerUrl = null, string? ServerHostFrom = null);
