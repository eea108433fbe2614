namespace UdcBackup.Server.Auth;

/// <summary>A user as <c>GET /api/users</c> lists it (never with its password hash).</summary>
public sealed record UserInfo(string User, string Role, DateTimeOffset CreatedAt, string? CreatedBy);
