namespace UdcBackup.Server.Auth;

/// <summary>The optional body of <c>POST /api/users/{user}/tokens</c>: a label saying what the token is for.</summary>
public sealed record CreateTokenRequest(string? Label);
