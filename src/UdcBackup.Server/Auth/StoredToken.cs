namespace UdcBackup.Server.Auth;

/// <summary>A token row of the store: its SHA-256 (never the token), kind (<c>api</c> or <c>session</c>), label and times.</summary>
public sealed record StoredToken(string Hash, string Kind, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);
