namespace UdcBackup.Server.Auth;

/// <summary>The body of <c>POST /api/users/{user}/password</c>.</summary>
public sealed record SetPasswordRequest(string? Password);
