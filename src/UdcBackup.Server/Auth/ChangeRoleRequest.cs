namespace UdcBackup.Server.Auth;

/// <summary>The body of <c>PUT /api/users/{user}/role</c>.</summary>
public sealed record ChangeRoleRequest(string? Role);
