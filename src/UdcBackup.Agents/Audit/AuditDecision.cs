namespace UdcBackup.Agents.Audit;

/// <summary>Whether a request was carried out.</summary>
public enum AuditDecision
{
    /// <summary>The request was accepted.</summary>
    Accepted,

    /// <summary>The request was refused.</summary>
    Refused,

    /// <summary>
    /// The request failed on the agent's side (after it was accepted, or before it was decided):
    /// not the requester's fault; the reason carries the trace id of the agent's log line.
    /// </summary>
    Failed,
}
