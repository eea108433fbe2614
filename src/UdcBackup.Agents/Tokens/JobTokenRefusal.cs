namespace UdcBackup.Agents.Tokens;

/// <summary>Why a job token was refused; recorded in the audit log.</summary>
public enum JobTokenRefusal
{
    /// <summary>Not three base64url parts, bad JSON, or missing/extra claims.</summary>
    Malformed,

    /// <summary>Header names another algorithm or type than ES256 / udc-job.</summary>
    UnsupportedAlgorithm,

    /// <summary>Signed with a key this agent does not trust.</summary>
    UnknownSigningKey,

    /// <summary>The signature does not match the header and claims (tampered).</summary>
    BadSignature,

    /// <summary>The token's lifetime is over (beyond the clock skew allowance).</summary>
    Expired,

    /// <summary>Issued in the future (beyond the clock skew allowance).</summary>
    NotYetValid,

    /// <summary>Issued for another media agent.</summary>
    WrongAudience,

    /// <summary>The connecting system is not the one the token names.</summary>
    WrongSystem,

    /// <summary>The token is for the other direction.</summary>
    WrongDirection,

    /// <summary>A restore token without a snapshot id, or a backup token with one or with an approval.</summary>
    InconsistentClaims,
}
