namespace UdcBackup.Server.Auth;

/// <summary>The answer of <c>GET /api/auth/me</c>.</summary>
public sealed record CurrentUser(string User, string Role);
