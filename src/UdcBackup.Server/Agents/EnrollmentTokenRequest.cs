namespace UdcBackup.Server.Agents;

/// <summary>
/// <c>POST /api/agents/tokens</c>: a single-use enrollment token for the agent of
/// <see cref="SystemId"/> (the site's system id, or media agent id) in <see cref="Role"/>
/// (<c>disk</c> or <c>media</c>), valid <see cref="LifetimeSeconds"/> (default one day, at most 30).
/// </summary>
public sealed record EnrollmentTokenRequest(string? SystemId, string? Role, int? LifetimeSeconds = null);
