namespace UdcBackup.Server.Auth;

/// <summary>
/// A token as <c>GET /api/users/{user}/tokens</c> lists it: <see cref="Id"/> is the first 16 hex
/// digits of the token's SHA-256 (enough to name it for revocation, useless to sign in with), never
/// the token itself. <see cref="Current"/> marks the token the listing request was made with (the
/// caller's own sign-in session or API token), so a client can say that revoking it signs the
/// caller out; a browser cannot tell otherwise, its session cookie being HttpOnly.
/// </summary>
public sealed record TokenInfo(string Id, string Kind, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool Current);
