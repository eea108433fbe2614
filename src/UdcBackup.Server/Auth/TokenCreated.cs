namespace UdcBackup.Server.Auth;

/// <summary>A new API token, shown this once (only its hash is stored).</summary>
public sealed record TokenCreated(string Token, string User, string? Label);
