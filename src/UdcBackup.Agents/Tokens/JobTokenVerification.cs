namespace UdcBackup.Agents.Tokens;

/// <summary>Outcome of verifying a job token: the claims when accepted, else the refusal and its reason.</summary>
public sealed record JobTokenVerification(JobTokenClaims? Claims, JobTokenRefusal? Refusal, string Reason)
{
    /// <summary>True when the token was accepted.</summary>
    public bool Accepted => Refusal is null;

    internal static JobTokenVerification Refuse(JobTokenRefusal refusal, string reason) => new(null, refusal, reason);
}
