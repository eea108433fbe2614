namespace UdcBackup.Server.Auth;

/// <summary>
/// Who made the current request, as found from its token: the user, the role, and which stored
/// token it was (<see cref="TokenHash"/>, so sign-out can revoke exactly that session).
/// </summary>
public sealed record SignedInUser(string Name, UserRole Role, string TokenHash, string TokenKind);
