namespace UdcBackup.Agents.Audit;

/// <summary>Whether a request was carried out.</summary>
public enum AuditDecision
{
    /// <summary>The request was accepted.</summary>
    Accepted,

    /// <summary>The request was refused.</summary>
    Refused,
}
