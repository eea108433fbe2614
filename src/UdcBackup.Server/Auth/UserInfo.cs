namespace UdcBackup.Server.Auth;

/// <summary>A user as <c>GET /api/users</c> lists it (never with its password hash); <see cref="Disabled"/> while it may not sign in.</summary>
public sealed record UserInfo(string User, string Role, DateTimeOffset CreatedAt, string? CreatedBy, bool Disabled = false);
