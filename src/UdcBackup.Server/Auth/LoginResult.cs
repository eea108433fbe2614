namespace UdcBackup.Server.Auth;

/// <summary>The answer of a successful sign-in: who, with which role, and the session token (also set as the <c>udc_session</c> cookie).</summary>
public sealed record LoginResult(string User, string Role, string Token);
