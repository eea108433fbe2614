namespace UdcBackup.Server.Auth;

/// <summary>The body of <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(string? User, string? Password, string? Role);
