namespace UdcBackup.Server.Auth;

/// <summary>A user row of the store, with the password hash that never leaves the server; <see cref="DisabledAt"/> set while the user is disabled.</summary>
public sealed record StoredUser(string Name, UserRole Role, string PasswordHash, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? DisabledAt = null);
