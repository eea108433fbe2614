namespace UdcBackup.Agents.Identity;

/// <summary>Reasons an enrollment is refused.</summary>
public enum EnrollmentRefusal
{
    /// <summary>No token with that value was ever issued.</summary>
    UnknownToken,

    /// <summary>The token was issued but its lifetime is over.</summary>
    ExpiredToken,

    /// <summary>The token was already used once.</summary>
    TokenAlreadyUsed,

    /// <summary>The certificate signing request is malformed, badly signed, or uses a refused key.</summary>
    InvalidSigningRequest,
}
